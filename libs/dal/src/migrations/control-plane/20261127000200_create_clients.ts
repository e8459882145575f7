import type { Knex } from 'knex';
import { createTable, json, time, uuid } from '../schema-helpers';

export async function up(knex: Knex): Promise<void> {
  await createTable(knex, 'clients', (t) => {
    uuid(t, 'id').primary();
    uuid(t, 'tenant_id').notNullable();
    t.string('client_id', 128).notNullable();
    t.string('name', 200).notNullable();
    t.string('type', 16).notNullable();
    t.text('secret_hash').nullable();
    json(t, 'redirect_uris').notNullable();
    json(t, 'grant_types').notNullable();
    json(t, 'scopes').notNullable();
    time(t, 'created_at').notNullable();
    time(t, 'updated_at').notNullable();
    t.unique(['client_id'], { indexName: 'clients__client_id' });
    t.index(['tenant_id', 'created_at', 'id'], 'clients__tenant_id__created_at__id');
    t.foreign('tenant_id', 'clients__tenant_id__fk')
      .references('id')
      .inTable('tenants')
      .onDelete('CASCADE');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('clients');
}
