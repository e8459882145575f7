import type { Knex } from 'knex';
import { json } from '../schema-helpers';

/**
 * A client's own custom claims (docs/apis.md#custom-claims): a JSON list that replaces the
 * tenant's `custom_claims` for that client's tokens; null: the tenant's.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('clients', (t) => {
    json(t, 'custom_claims').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('clients', (t) => {
    t.dropColumn('custom_claims');
  });
}
