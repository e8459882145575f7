import type { Knex } from 'knex';
import { json } from '../schema-helpers';

const JSON_LISTS = ['allowed_origins', 'post_logout_redirect_uris'] as const;
const URIS = ['logo_uri', 'client_uri', 'policy_uri', 'tos_uri'] as const;

/**
 * Client settings for browser sign-in (docs/api.md, "OAuth clients"): CORS origins, RP-initiated
 * logout targets, first-party (no consent), per-client token lifetimes (null: the tenant's), the
 * ID token algorithm, the token endpoint authentication method and the pages shown on consent.
 *
 * The JSON lists are nullable only because MySQL refuses a literal default on a TEXT column and
 * SQLite cannot add a NOT NULL column without one: existing rows get `[]` here and the repository
 * always writes them. Existing public clients authenticate with `none`, confidential ones keep
 * `client_secret_basic`.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('clients', (t) => {
    for (const column of JSON_LISTS) json(t, column).nullable();
    t.boolean('first_party').notNullable().defaultTo(false);
    t.integer('access_token_ttl').nullable();
    t.integer('refresh_token_ttl').nullable();
    t.string('id_token_signed_response_alg', 16).notNullable().defaultTo('RS256');
    t.string('token_endpoint_auth_method', 32).notNullable().defaultTo('client_secret_basic');
    for (const column of URIS) t.text(column).nullable();
  });
  await knex('clients').update({ allowed_origins: '[]', post_logout_redirect_uris: '[]' });
  await knex('clients').where({ type: 'public' }).update({ token_endpoint_auth_method: 'none' });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('clients', (t) => {
    t.dropColumns(
      ...JSON_LISTS,
      'first_party',
      'access_token_ttl',
      'refresh_token_ttl',
      'id_token_signed_response_alg',
      'token_endpoint_auth_method',
      ...URIS,
    );
  });
}
