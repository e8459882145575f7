import type { Knex } from 'knex';
import { createTable, time, uuid } from '../schema-helpers';

export async function up(knex: Knex): Promise<void> {
  await createTable(knex, 'cp_admins', (t) => {
    uuid(t, 'id').primary();
    t.string('email', 320).notNullable();
    t.text('password_hash').notNullable();
    t.string('role', 16).notNullable();
    time(t, 'created_at').notNullable();
    t.unique(['email'], { indexName: 'cp_admins__email' });
    t.index(['created_at', 'id'], 'cp_admins__created_at__id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('cp_admins');
}
