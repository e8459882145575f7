import type { Knex } from 'knex';
import { createTable, json, time, uuid } from '../schema-helpers';

export async function up(knex: Knex): Promise<void> {
  await createTable(knex, 'users', (t) => {
    uuid(t, 'id').primary();
    t.string('email', 320).notNullable();
    t.string('email_normalized', 320).notNullable();
    t.string('name', 200).nullable();
    json(t, 'metadata').notNullable();
    t.string('status', 16).notNullable();
    t.boolean('email_verified').notNullable().defaultTo(false);
    time(t, 'created_at').notNullable();
    time(t, 'updated_at').notNullable();
    t.unique(['email_normalized'], { indexName: 'users__email_normalized' });
    t.index(['created_at', 'id'], 'users__created_at__id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('users');
}
