import type { Knex } from 'knex';
import { createTable, json, time, uuid } from '../schema-helpers';

/**
 * One authorization request between `/authorize` and the code it ends in: the hosted login,
 * MFA and consent pages carry an opaque handle (form field or cookie) and any replica finds the
 * request again by its SHA-256. `request` is the validated authorization request as JSON.
 * Rows live about 10 minutes; completed or expired ones are swept.
 */
export async function up(knex: Knex): Promise<void> {
  await createTable(knex, 'oauth_login_transactions', (t) => {
    uuid(t, 'id').primary();
    t.string('handle_hash', 64).notNullable();
    t.string('client_id', 128).notNullable();
    json(t, 'request').notNullable();
    time(t, 'created_at').notNullable();
    time(t, 'expires_at').notNullable();
    time(t, 'completed_at').nullable();
    t.unique(['handle_hash'], { indexName: 'oauth_login_transactions__handle_hash' });
    t.index(['expires_at'], 'oauth_login_transactions__expires_at');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('oauth_login_transactions');
}
