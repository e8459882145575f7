import type { Knex } from 'knex';
import { createTable } from '../schema-helpers';

export async function up(knex: Knex): Promise<void> {
  // One row that every relay replica locks FOR UPDATE: only one publishes at a time, which keeps
  // per-tenant event order across replicas.
  await createTable(knex, 'outbox_relay_lock', (t) => {
    t.integer('id').primary();
  });
  await knex('outbox_relay_lock').insert({ id: 1 });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('outbox_relay_lock');
}
