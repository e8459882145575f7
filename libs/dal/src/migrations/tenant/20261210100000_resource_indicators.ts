import type { Knex } from 'knex';

/**
 * RFC 8707 resource indicators: the API resource (its identifier, the `aud` of the access tokens)
 * an authorization code was issued for, and the client session it becomes, so refreshes keep
 * minting tokens for that API. Null: the tenant's own audience, as before. 500 characters, the
 * control plane's limit on identifiers. No index: both are read with their row, never searched.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('oauth_authorization_codes', (t) => {
    t.string('resource', 500).nullable();
  });
  await knex.schema.alterTable('sessions', (t) => {
    t.string('resource', 500).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sessions', (t) => {
    t.dropColumn('resource');
  });
  await knex.schema.alterTable('oauth_authorization_codes', (t) => {
    t.dropColumn('resource');
  });
}
