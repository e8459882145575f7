import type { Knex } from 'knex';
import { createTable, json, time, uuid } from '../schema-helpers';

export async function up(knex: Knex): Promise<void> {
  await createTable(knex, 'audit_log', (t) => {
    uuid(t, 'id').primary();
    t.string('actor', 320).notNullable();
    t.string('action', 100).notNullable();
    t.string('target', 320).nullable();
    t.string('request_id', 128).nullable();
    t.string('outcome', 16).notNullable();
    json(t, 'details').notNullable();
    time(t, 'created_at').notNullable();
    t.index(['created_at', 'id'], 'audit_log__created_at__id');
    t.index(['actor', 'created_at'], 'audit_log__actor__created_at');
    t.index(['action', 'created_at'], 'audit_log__action__created_at');
    t.index(['target', 'created_at'], 'audit_log__target__created_at');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_log');
}
