import type { Knex } from 'knex';
import { createTable, json, time, uuid } from '../schema-helpers';

/**
 * Operator access (docs/api.md, "API keys" and "Admin sessions"): machine API keys, admin grants
 * (`tenants`: null = every tenant) and the disabled flag, admin sessions with rotating refresh
 * tokens, and a short-lived record of admin revocations the data plane reloads at start.
 *
 * An API key keeps at most two secrets: the current one and, during a rotation's overlap, the
 * previous one; both are SHA-256 hex of a 256-bit random secret, unique, looked up by equality.
 */
export async function up(knex: Knex): Promise<void> {
  await createTable(knex, 'cp_api_keys', (t) => {
    uuid(t, 'id').primary();
    t.string('name', 200).notNullable();
    t.string('role', 16).notNullable();
    json(t, 'tenants').nullable();
    t.string('key_hash', 64).notNullable();
    t.string('last4', 4).notNullable();
    t.string('previous_key_hash', 64).nullable();
    time(t, 'previous_expires_at').nullable();
    t.string('created_by', 320).nullable();
    time(t, 'created_at').notNullable();
    time(t, 'expires_at').nullable();
    time(t, 'revoked_at').nullable();
    time(t, 'last_used_at').nullable();
    t.string('last_used_ip', 64).nullable();
    t.unique(['key_hash'], { indexName: 'cp_api_keys__key_hash' });
    t.unique(['previous_key_hash'], { indexName: 'cp_api_keys__previous_key_hash' });
    t.index(['created_at', 'id'], 'cp_api_keys__created_at__id');
  });
  await knex.schema.alterTable('cp_admins', (t) => {
    json(t, 'tenants').nullable();
    time(t, 'disabled_at').nullable();
  });
  await createTable(knex, 'cp_admin_sessions', (t) => {
    uuid(t, 'id').primary();
    uuid(t, 'admin_id').notNullable();
    time(t, 'created_at').notNullable();
    time(t, 'expires_at').notNullable();
    time(t, 'revoked_at').nullable();
    t.index(['admin_id'], 'cp_admin_sessions__admin_id');
  });
  await createTable(knex, 'cp_admin_refresh_tokens', (t) => {
    uuid(t, 'id').primary();
    uuid(t, 'session_id').notNullable();
    t.string('token_hash', 64).notNullable();
    time(t, 'created_at').notNullable();
    time(t, 'used_at').nullable();
    t.unique(['token_hash'], { indexName: 'cp_admin_refresh_tokens__token_hash' });
    t.index(['session_id'], 'cp_admin_refresh_tokens__session_id');
  });
  await createTable(knex, 'cp_admin_revocations', (t) => {
    uuid(t, 'id').primary();
    uuid(t, 'admin_id').notNullable();
    uuid(t, 'session_id').nullable();
    time(t, 'revoked_at').notNullable();
    t.index(['revoked_at'], 'cp_admin_revocations__revoked_at');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('cp_admin_revocations');
  await knex.schema.dropTable('cp_admin_refresh_tokens');
  await knex.schema.dropTable('cp_admin_sessions');
  await knex.schema.alterTable('cp_admins', (t) => {
    t.dropColumns('tenants', 'disabled_at');
  });
  await knex.schema.dropTable('cp_api_keys');
}
