import type { Knex } from 'knex';
import { createTable, time, uuid } from '../schema-helpers';

export async function up(knex: Knex): Promise<void> {
  // One-time tokens sent by mail: email verification, password reset, magic links, email change.
  await createTable(knex, 'email_tokens', (t) => {
    uuid(t, 'id').primary();
    uuid(t, 'user_id').nullable();
    t.string('purpose', 32).notNullable();
    t.string('email', 320).notNullable();
    t.string('token_hash', 64).notNullable();
    time(t, 'expires_at').notNullable();
    time(t, 'used_at').nullable();
    time(t, 'created_at').notNullable();
    t.unique(['token_hash'], { indexName: 'email_tokens__token_hash' });
    t.index(['user_id', 'purpose'], 'email_tokens__user_id__purpose');
    t.foreign('user_id', 'email_tokens__user_id__fk')
      .references('id')
      .inTable('users')
      .onDelete('CASCADE');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('email_tokens');
}
