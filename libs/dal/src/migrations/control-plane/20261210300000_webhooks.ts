import type { Knex } from 'knex';
import { createTable, json, time, uuid } from '../schema-helpers';

/**
 * Webhooks of tenants and their delivery log. A delivery is one event for one webhook: unique on
 * (event_id, webhook_id), so an event the broker redelivers never doubles it. Its body is stored
 * as sent, so every attempt signs and sends the same bytes under the same `webhook-id`.
 */
export async function up(knex: Knex): Promise<void> {
  await createTable(knex, 'webhooks', (t) => {
    uuid(t, 'id').primary();
    uuid(t, 'tenant_id').notNullable();
    t.string('url', 2048).notNullable();
    json(t, 'event_types').notNullable();
    t.boolean('enabled').notNullable();
    t.string('description', 500).nullable();
    t.text('secret_sealed').notNullable();
    t.text('previous_secret_sealed').nullable();
    time(t, 'previous_secret_expires_at').nullable();
    time(t, 'failing_since').nullable();
    time(t, 'created_at').notNullable();
    time(t, 'updated_at').notNullable();
    t.index(['tenant_id', 'created_at', 'id'], 'webhooks__tenant_id__created_at__id');
    t.foreign('tenant_id', 'webhooks__tenant_id__fk')
      .references('id')
      .inTable('tenants')
      .onDelete('CASCADE');
  });
  await createTable(knex, 'webhook_deliveries', (t) => {
    uuid(t, 'id').primary();
    uuid(t, 'webhook_id').notNullable();
    uuid(t, 'tenant_id').notNullable();
    uuid(t, 'event_id').notNullable();
    t.string('event_type', 100).notNullable();
    json(t, 'body').notNullable();
    t.string('status', 16).notNullable();
    t.integer('attempts').notNullable();
    time(t, 'next_attempt_at').nullable();
    time(t, 'last_attempt_at').nullable();
    time(t, 'locked_until').nullable();
    t.integer('response_status').nullable();
    t.integer('duration_ms').nullable();
    t.string('last_error', 500).nullable();
    time(t, 'created_at').notNullable();
    time(t, 'updated_at').notNullable();
    t.unique(['event_id', 'webhook_id'], { indexName: 'webhook_deliveries__event_id__webhook_id' });
    t.index(['status', 'next_attempt_at'], 'webhook_deliveries__status__next_attempt_at');
    t.index(['webhook_id', 'created_at', 'id'], 'webhook_deliveries__webhook_id__created_at__id');
    t.foreign('webhook_id', 'webhook_deliveries__webhook_id__fk')
      .references('id')
      .inTable('webhooks')
      .onDelete('CASCADE');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('webhook_deliveries');
  await knex.schema.dropTable('webhooks');
}
