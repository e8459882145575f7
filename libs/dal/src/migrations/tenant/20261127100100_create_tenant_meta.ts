import type { Knex } from 'knex';
import { createTable, time, uuid } from '../schema-helpers';

export async function up(knex: Knex): Promise<void> {
  // Says whose database this is: provisioning refuses a database that belongs to someone else.
  await createTable(knex, 'tenant_meta', (t) => {
    uuid(t, 'tenant_id').primary();
    time(t, 'provisioned_at').notNullable();
    t.string('marker', 32).notNullable().defaultTo('hellojohn');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('tenant_meta');
}
