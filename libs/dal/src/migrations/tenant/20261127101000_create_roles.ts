import type { Knex } from 'knex';
import { createTable, json, time, uuid } from '../schema-helpers';

export async function up(knex: Knex): Promise<void> {
  // organization_id null = a tenant-wide role usable in every organization.
  await createTable(knex, 'roles', (t) => {
    uuid(t, 'id').primary();
    uuid(t, 'organization_id').nullable();
    t.string('key', 64).notNullable();
    t.string('name', 200).notNullable();
    json(t, 'permissions').notNullable();
    time(t, 'created_at').notNullable();
    time(t, 'updated_at').notNullable();
    t.unique(['organization_id', 'key'], { indexName: 'roles__organization_id__key' });
    t.foreign('organization_id', 'roles__organization_id__fk')
      .references('id')
      .inTable('organizations')
      .onDelete('CASCADE');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('roles');
}
