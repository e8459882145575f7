import type { Knex } from 'knex';
import { createTable, json, time, uuid } from '../schema-helpers';

/**
 * Remembered consent: the scopes a user granted a client, one row per (user, client). A revoked
 * row stays (with `revoked_at`) and comes back to life on the next grant with only the scopes then
 * granted. `created_at` never changes and keys the pagination; `granted_at` is the start of the
 * current grant.
 */
export async function up(knex: Knex): Promise<void> {
  await createTable(knex, 'oauth_consents', (t) => {
    uuid(t, 'id').primary();
    uuid(t, 'user_id').notNullable();
    t.string('client_id', 128).notNullable();
    json(t, 'scopes').notNullable();
    time(t, 'created_at').notNullable();
    time(t, 'granted_at').notNullable();
    time(t, 'updated_at').notNullable();
    time(t, 'revoked_at').nullable();
    t.unique(['user_id', 'client_id'], { indexName: 'oauth_consents__user_id__client_id' });
    t.foreign('user_id', 'oauth_consents__user_id__fk')
      .references('id')
      .inTable('users')
      .onDelete('CASCADE');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('oauth_consents');
}
