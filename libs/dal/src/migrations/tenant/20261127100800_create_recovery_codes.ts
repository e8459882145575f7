import type { Knex } from 'knex';
import { createTable, time, uuid } from '../schema-helpers';

export async function up(knex: Knex): Promise<void> {
  await createTable(knex, 'recovery_codes', (t) => {
    uuid(t, 'id').primary();
    uuid(t, 'user_id').notNullable();
    t.string('code_hash', 128).notNullable();
    time(t, 'used_at').nullable();
    time(t, 'created_at').notNullable();
    t.unique(['user_id', 'code_hash'], { indexName: 'recovery_codes__user_id__code_hash' });
    t.foreign('user_id', 'recovery_codes__user_id__fk')
      .references('id')
      .inTable('users')
      .onDelete('CASCADE');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('recovery_codes');
}
