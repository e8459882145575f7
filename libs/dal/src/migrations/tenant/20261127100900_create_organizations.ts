import type { Knex } from 'knex';
import { createTable, json, time, uuid } from '../schema-helpers';

export async function up(knex: Knex): Promise<void> {
  await createTable(knex, 'organizations', (t) => {
    uuid(t, 'id').primary();
    t.string('slug', 63).notNullable();
    t.string('name', 200).notNullable();
    json(t, 'metadata').notNullable();
    time(t, 'created_at').notNullable();
    time(t, 'updated_at').notNullable();
    t.unique(['slug'], { indexName: 'organizations__slug' });
    t.index(['created_at', 'id'], 'organizations__created_at__id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('organizations');
}
