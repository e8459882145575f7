import type { Knex } from 'knex';
import { createTable, json, time, uuid } from '../schema-helpers';

/**
 * Multi-factor authentication (docs/mfa.md).
 *
 * `mfa_factors` (created empty with the first tenant schema) gains what TOTP and passkeys need:
 * `last_used_step` is the TOTP replay guard (a code is accepted only for a time step later than
 * the last one accepted, decided by a conditional UPDATE); `transports`, `backup_eligible`,
 * `backup_state` and `aaguid` describe a WebAuthn credential. `credential_id` becomes unique so a
 * passkey assertion names one factor; NULL (TOTP, email) may repeat on every engine.
 *
 * `mfa_challenges` holds the sign-in step between the first factor and the second: the opaque
 * `mfa_token` is known only by its SHA-256, lives minutes, dies after `max_attempts` wrong codes
 * and is consumed once. `amr` is the JSON array of methods already passed; `meta` is JSON about
 * the request that began it (IP, user agent, hosted-login transaction).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('mfa_factors', (t) => {
    t.bigInteger('last_used_step').nullable();
    t.string('transports', 200).nullable();
    t.boolean('backup_eligible').notNullable().defaultTo(false);
    t.boolean('backup_state').notNullable().defaultTo(false);
    t.string('aaguid', 36).nullable();
    t.unique(['credential_id'], { indexName: 'mfa_factors__credential_id' });
  });
  await createTable(knex, 'mfa_challenges', (t) => {
    uuid(t, 'id').primary();
    uuid(t, 'user_id').notNullable();
    t.string('token_hash', 64).notNullable();
    json(t, 'amr').notNullable();
    t.integer('attempts').notNullable();
    t.integer('max_attempts').notNullable();
    time(t, 'created_at').notNullable();
    time(t, 'expires_at').notNullable();
    time(t, 'consumed_at').nullable();
    json(t, 'meta').nullable();
    t.unique(['token_hash'], { indexName: 'mfa_challenges__token_hash' });
    t.index(['user_id'], 'mfa_challenges__user_id');
    t.index(['expires_at'], 'mfa_challenges__expires_at');
    t.foreign('user_id', 'mfa_challenges__user_id__fk')
      .references('id')
      .inTable('users')
      .onDelete('CASCADE');
  });
}

const ADDED = ['last_used_step', 'transports', 'backup_eligible', 'backup_state', 'aaguid'];

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('mfa_challenges');
  await knex.schema.alterTable('mfa_factors', (t) => {
    t.dropUnique(['credential_id'], 'mfa_factors__credential_id');
  });
  // Plain DROP COLUMN on every driver (SQLite >= 3.35): knex's dropColumn rebuilds the table on
  // SQLite, which would lose the foreign key's cascade semantics mid-flight.
  for (const column of ADDED) {
    await knex.raw('alter table ?? drop column ??', ['mfa_factors', column]);
  }
}
