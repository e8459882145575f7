import type { Knex } from 'knex';
import { createTable, json, time, uuid } from '../schema-helpers';

/**
 * Upstream identity providers of tenants (docs/federation.md). What an operator sets lives in
 * `config` (JSON, validated by the control plane on write); the client secret, or Apple's private
 * key, is sealed with the master key in `secret_sealed` and never read back through the API.
 */
export async function up(knex: Knex): Promise<void> {
  await createTable(knex, 'identity_providers', (t) => {
    uuid(t, 'id').primary();
    uuid(t, 'tenant_id').notNullable();
    t.string('type', 16).notNullable();
    t.string('name', 200).notNullable();
    t.boolean('enabled').notNullable();
    json(t, 'config').notNullable();
    t.text('secret_sealed').nullable();
    time(t, 'created_at').notNullable();
    time(t, 'updated_at').notNullable();
    t.index(['tenant_id', 'created_at', 'id'], 'identity_providers__tenant_id__created_at__id');
    t.foreign('tenant_id', 'identity_providers__tenant_id__fk')
      .references('id')
      .inTable('tenants')
      .onDelete('CASCADE');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('identity_providers');
}
