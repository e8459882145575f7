import type { Knex } from 'knex';
import { createTable, json, time, uuid } from '../schema-helpers';

/**
 * Authorization codes (RFC 6749 §4.1), known only by their SHA-256 and living 60 s. `session_id`
 * is the browser session the code was issued under (deleted with it, as refresh tokens are).
 * `consumed_at` and `issued_session_id` are set by one conditional update: exactly one
 * redemption wins, and a replay finds the session the winner's tokens hang off, to revoke it
 * (RFC 6749 §4.1.2). `issued_session_id` has no foreign key: it names that session before the
 * winner inserts it. Consumed rows are kept past expiry so a late replay is still recognised.
 */
export async function up(knex: Knex): Promise<void> {
  await createTable(knex, 'oauth_authorization_codes', (t) => {
    uuid(t, 'id').primary();
    t.string('code_hash', 64).notNullable();
    t.string('client_id', 128).notNullable();
    uuid(t, 'user_id').notNullable();
    uuid(t, 'session_id').notNullable();
    t.text('redirect_uri').notNullable();
    t.text('scope').notNullable();
    t.text('nonce').nullable();
    t.string('code_challenge', 128).nullable();
    t.string('code_challenge_method', 16).nullable();
    time(t, 'auth_time').notNullable();
    json(t, 'amr').notNullable();
    t.string('acr', 255).nullable();
    time(t, 'created_at').notNullable();
    time(t, 'expires_at').notNullable();
    time(t, 'consumed_at').nullable();
    uuid(t, 'issued_session_id').nullable();
    t.unique(['code_hash'], { indexName: 'oauth_authorization_codes__code_hash' });
    t.index(['expires_at'], 'oauth_authorization_codes__expires_at');
    t.index(['user_id'], 'oauth_authorization_codes__user_id');
    t.index(['session_id'], 'oauth_authorization_codes__session_id');
    t.foreign('user_id', 'oauth_authorization_codes__user_id__fk')
      .references('id')
      .inTable('users')
      .onDelete('CASCADE');
    t.foreign('session_id', 'oauth_authorization_codes__session_id__fk')
      .references('id')
      .inTable('sessions')
      .onDelete('CASCADE');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('oauth_authorization_codes');
}
