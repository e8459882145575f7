import type { Knex } from 'knex';
import { createTable, time, uuid } from '../schema-helpers';

export async function up(knex: Knex): Promise<void> {
  await createTable(knex, 'sessions', (t) => {
    uuid(t, 'id').primary();
    uuid(t, 'user_id').notNullable();
    time(t, 'created_at').notNullable();
    time(t, 'last_used_at').notNullable();
    time(t, 'expires_at').notNullable();
    time(t, 'revoked_at').nullable();
    t.string('revoke_reason', 64).nullable();
    t.string('user_agent', 512).nullable();
    t.string('ip', 45).nullable();
    t.index(['user_id', 'revoked_at'], 'sessions__user_id__revoked_at');
    t.foreign('user_id', 'sessions__user_id__fk')
      .references('id')
      .inTable('users')
      .onDelete('CASCADE');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('sessions');
}
