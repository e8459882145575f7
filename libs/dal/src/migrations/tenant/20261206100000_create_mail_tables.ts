import type { Knex } from 'knex';
import { createTable, time, uuid } from '../schema-helpers';

/**
 * Mail, in two tables.
 *
 * `mail_outbox`: every mail the tenant sends is written here first (inside the caller's
 * transaction if it has one) and a relay delivers it, so an SMTP outage loses nothing. `payload`
 * is opaque ciphertext: the template variables hold links with one-time tokens, so the mail layer
 * encrypts them with the master key before they reach the database. A relay claims due rows by
 * setting `locked_until` (a lease: a relay that dies mid-send frees the row when it lapses), so
 * two replicas never send the same mail; after the last retry a row is 'dead'.
 *
 * `one_time_tokens`: verification, password-reset and magic links (SHA-256 of the token) and
 * email codes (HMAC with a tenant subkey: a 6-digit code's plain hash would be trivially
 * reversed). `email` is the address the token went to: a changed address must not be verified
 * by an old link. Single use via `consumed_at`; codes die after `max_attempts` wrong guesses.
 * Tokens go with their user.
 */
export async function up(knex: Knex): Promise<void> {
  await createTable(knex, 'mail_outbox', (t) => {
    uuid(t, 'id').primary();
    t.string('kind', 64).notNullable();
    t.string('to_address', 320).notNullable();
    t.string('locale', 16).notNullable();
    t.text('payload', 'mediumtext').notNullable();
    t.string('status', 16).notNullable();
    t.integer('attempts').notNullable();
    time(t, 'next_attempt_at').notNullable();
    time(t, 'locked_until').nullable();
    t.string('last_error', 1000).nullable();
    time(t, 'created_at').notNullable();
    time(t, 'sent_at').nullable();
    t.index(['status', 'next_attempt_at'], 'mail_outbox__status__next_attempt_at');
    t.index(['created_at'], 'mail_outbox__created_at');
  });
  await createTable(knex, 'one_time_tokens', (t) => {
    uuid(t, 'id').primary();
    uuid(t, 'user_id').notNullable();
    t.string('purpose', 32).notNullable();
    t.string('secret_hash', 64).notNullable();
    t.string('email', 320).notNullable();
    t.integer('attempts').notNullable();
    t.integer('max_attempts').notNullable();
    time(t, 'created_at').notNullable();
    time(t, 'expires_at').notNullable();
    time(t, 'consumed_at').nullable();
    t.unique(['purpose', 'secret_hash'], { indexName: 'one_time_tokens__purpose__secret_hash' });
    t.index(['user_id', 'purpose'], 'one_time_tokens__user_id__purpose');
    t.index(['expires_at'], 'one_time_tokens__expires_at');
    t.foreign('user_id', 'one_time_tokens__user_id__fk')
      .references('id')
      .inTable('users')
      .onDelete('CASCADE');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('one_time_tokens');
  await knex.schema.dropTable('mail_outbox');
}
