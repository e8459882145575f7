import type { Knex } from 'knex';

/**
 * `successor_encrypted`: the plaintext of the token that replaced this one, sealed with the master
 * key, kept only for the tenant's reuse interval. Only hashes are stored otherwise, and a client
 * racing itself (several tabs refreshing at once) must get the same successor back, not a second
 * live token and not a revoked session.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('refresh_tokens', (t) => {
    t.text('successor_encrypted').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('refresh_tokens', (t) => {
    t.dropColumn('successor_encrypted');
  });
}
