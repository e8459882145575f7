import type { Knex } from 'knex';
import { createTable, time, uuid } from '../schema-helpers';

export async function up(knex: Knex): Promise<void> {
  await createTable(knex, 'refresh_tokens', (t) => {
    uuid(t, 'id').primary();
    uuid(t, 'session_id').notNullable();
    // SHA-256 of the opaque token, lowercase hex: the token itself is never stored.
    t.string('token_hash', 64).notNullable();
    uuid(t, 'parent_id').nullable();
    time(t, 'created_at').notNullable();
    time(t, 'expires_at').notNullable();
    time(t, 'used_at').nullable();
    uuid(t, 'replaced_by').nullable();
    time(t, 'revoked_at').nullable();
    t.unique(['token_hash'], { indexName: 'refresh_tokens__token_hash' });
    t.index(['session_id'], 'refresh_tokens__session_id');
    t.foreign('session_id', 'refresh_tokens__session_id__fk')
      .references('id')
      .inTable('sessions')
      .onDelete('CASCADE');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('refresh_tokens');
}
