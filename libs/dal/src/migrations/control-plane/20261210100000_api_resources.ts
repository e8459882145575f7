import type { Knex } from 'knex';
import { createTable, json, time, uuid } from '../schema-helpers';

/**
 * API resources (the protected APIs of a tenant, each the `aud` of its tokens) and the grants of
 * confidential clients on them. Identifiers are unique per tenant; 500 characters keep the unique
 * key inside InnoDB's 3072-byte limit in utf8mb4.
 */
export async function up(knex: Knex): Promise<void> {
  await createTable(knex, 'api_resources', (t) => {
    uuid(t, 'id').primary();
    uuid(t, 'tenant_id').notNullable();
    t.string('identifier', 500).notNullable();
    t.string('name', 200).notNullable();
    json(t, 'scopes').notNullable();
    t.string('access_token_alg', 8).notNullable();
    t.integer('access_token_ttl').nullable();
    t.string('subjects', 16).notNullable();
    time(t, 'created_at').notNullable();
    time(t, 'updated_at').notNullable();
    t.unique(['tenant_id', 'identifier'], { indexName: 'api_resources__tenant_id__identifier' });
    t.index(['tenant_id', 'created_at', 'id'], 'api_resources__tenant_id__created_at__id');
    t.foreign('tenant_id', 'api_resources__tenant_id__fk')
      .references('id')
      .inTable('tenants')
      .onDelete('CASCADE');
  });
  await createTable(knex, 'client_resource_grants', (t) => {
    uuid(t, 'resource_id').notNullable();
    t.string('client_id', 128).notNullable();
    json(t, 'scopes').notNullable();
    time(t, 'created_at').notNullable();
    time(t, 'updated_at').notNullable();
    t.unique(['resource_id', 'client_id'], {
      indexName: 'client_resource_grants__resource_client',
    });
    t.index(['client_id'], 'client_resource_grants__client_id');
    t.foreign('resource_id', 'client_resource_grants__resource_id__fk')
      .references('id')
      .inTable('api_resources')
      .onDelete('CASCADE');
    t.foreign('client_id', 'client_resource_grants__client_id__fk')
      .references('client_id')
      .inTable('clients')
      .onDelete('CASCADE');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('client_resource_grants');
  await knex.schema.dropTable('api_resources');
}
