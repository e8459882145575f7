import type { Knex } from 'knex';
import { createTable, json, time, uuid } from '../schema-helpers';

/**
 * The tenant's domain-event outbox (docs/webhooks.md, "Outbox and relay"): `user.*`,
 * `session.*`, `mfa.*`, `organization.*` and `membership.*` events are written here in the same
 * transaction as the change, and the data plane's relay publishes them to the bus.
 */
export async function up(knex: Knex): Promise<void> {
  await createTable(knex, 'outbox', (t) => {
    // seq, not created_at, orders publication: assigned at insert, unique even within a millisecond.
    t.bigIncrements('seq');
    uuid(t, 'id').notNullable();
    t.string('type', 100).notNullable();
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
