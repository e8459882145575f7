import type { Knex } from 'knex';
import { createTable, json, time, uuid } from '../schema-helpers';

export async function up(knex: Knex): Promise<void> {
  await createTable(knex, 'outbox', (t) => {
    // seq, not created_at, orders delivery: it is assigned at insert, so per-tenant order holds
    // even when two events share a millisecond.
    t.bigIncrements('seq');
    uuid(t, 'id').notNullable();
    t.string('type', 100).notNullable();
    uuid(t, 'tenant_id').nullable();
    json(t, 'payload').notNullable();
    time(t, 'created_at').notNullable();
    time(t, 'sent_at').nullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('last_error').nullable();
    t.unique(['id'], { indexName: 'outbox__id' });
    t.index(['sent_at', 'seq'], 'outbox__sent_at__seq');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('outbox');
}
