import type { Knex } from 'knex';
import { createTable, json, time, uuid } from '../schema-helpers';

export async function up(knex: Knex): Promise<void> {
  await createTable(knex, 'tenants', (t) => {
    uuid(t, 'id').primary();
    t.string('slug', 63).notNullable();
    t.string('name', 200).notNullable();
    t.string('status', 16).notNullable();
    t.text('status_reason').nullable();
    t.string('database_mode', 16).notNullable();
    t.string('database_driver', 16).nullable();
    t.text('database_dsn_encrypted').nullable();
    json(t, 'settings').notNullable();
    time(t, 'created_at').notNullable();
    time(t, 'updated_at').notNullable();
    t.unique(['slug'], { indexName: 'tenants__slug' });
    t.index(['created_at', 'id'], 'tenants__created_at__id');
    t.index(['status'], 'tenants__status');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('tenants');
}
