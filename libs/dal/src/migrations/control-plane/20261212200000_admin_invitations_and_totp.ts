import type { Knex } from 'knex';
import { createTable, time, uuid } from '../schema-helpers';

/**
 * CP admin invitations and TOTP (docs/operations.md, "Admins"):
 *
 * - `cp_admins.invited_at`: set while an invited admin has not chosen a password yet (its
 *   `password_hash` then matches nothing).
 * - `cp_admin_invitations`: one-time invitation links, SHA-256 hex of a 256-bit token; a resend
 *   replaces the admin's earlier ones.
 * - `cp_admin_totp`: one authenticator per admin, its secret sealed with the master key;
 *   `last_step` is the last accepted time step (a code is accepted once).
 * - `cp_admin_recovery_codes`: HMAC-SHA256 of each code, single use.
 * - `cp_admin_mfa_challenges`: the `mfa_token` of a password sign-in waiting for its second
 *   factor (SHA-256 hex, short-lived, single use).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('cp_admins', (t) => {
    time(t, 'invited_at').nullable();
  });
  await createTable(knex, 'cp_admin_invitations', (t) => {
    uuid(t, 'id').primary();
    uuid(t, 'admin_id').notNullable();
    t.string('token_hash', 64).notNullable();
    time(t, 'created_at').notNullable();
    time(t, 'expires_at').notNullable();
    time(t, 'used_at').nullable();
    t.unique(['token_hash'], { indexName: 'cp_admin_invitations__token_hash' });
    t.index(['admin_id'], 'cp_admin_invitations__admin_id');
  });
  await createTable(knex, 'cp_admin_totp', (t) => {
    uuid(t, 'admin_id').primary();
    t.text('secret_encrypted').notNullable();
    time(t, 'created_at').notNullable();
    time(t, 'confirmed_at').nullable();
    t.integer('last_step').nullable();
  });
  await createTable(knex, 'cp_admin_recovery_codes', (t) => {
    uuid(t, 'id').primary();
    uuid(t, 'admin_id').notNullable();
    t.string('code_hash', 64).notNullable();
    time(t, 'used_at').nullable();
    t.unique(['code_hash'], { indexName: 'cp_admin_recovery_codes__code_hash' });
    t.index(['admin_id'], 'cp_admin_recovery_codes__admin_id');
  });
  await createTable(knex, 'cp_admin_mfa_challenges', (t) => {
    uuid(t, 'id').primary();
    uuid(t, 'admin_id').notNullable();
    t.string('token_hash', 64).notNullable();
    time(t, 'created_at').notNullable();
    time(t, 'expires_at').notNullable();
    time(t, 'used_at').nullable();
    t.unique(['token_hash'], { indexName: 'cp_admin_mfa_challenges__token_hash' });
    t.index(['expires_at'], 'cp_admin_mfa_challenges__expires_at');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('cp_admin_mfa_challenges');
  await knex.schema.dropTable('cp_admin_recovery_codes');
  await knex.schema.dropTable('cp_admin_totp');
  await knex.schema.dropTable('cp_admin_invitations');
  await knex.schema.alterTable('cp_admins', (t) => {
    t.dropColumn('invited_at');
  });
}
