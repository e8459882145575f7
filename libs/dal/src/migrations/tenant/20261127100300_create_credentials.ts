import type { Knex } from 'knex';
import { createTable, time, uuid } from '../schema-helpers';

export async function up(knex: Knex): Promise<void> {
  await createTable(knex, 'credentials', (t) => {
    uuid(t, 'id').primary();
    uuid(t, 'user_id').notNullable();
    t.string('type', 16).notNullable();
    t.text('secret_hash').notNullable();
    time(t, 'created_at').notNullable();
    time(t, 'updated_at').notNullable();
    t.unique(['user_id', 'type'], { indexName: 'credentials__user_id__type' });
    t.foreign('user_id', 'credentials__user_id__fk')
      .references('id')
      .inTable('users')
      .onDelete('CASCADE');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('credentials');
}
