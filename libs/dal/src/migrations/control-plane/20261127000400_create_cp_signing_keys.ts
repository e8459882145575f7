import type { Knex } from 'knex';
import { createTable, json, time } from '../schema-helpers';

export async function up(knex: Knex): Promise<void> {
  await createTable(knex, 'cp_signing_keys', (t) => {
    t.string('kid', 64).primary();
    t.string('alg', 16).notNullable();
    json(t, 'public_jwk').notNullable();
    t.text('private_key_encrypted').notNullable();
    t.string('status', 16).notNullable();
    time(t, 'created_at').notNullable();
    t.index(['status'], 'cp_signing_keys__status');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('cp_signing_keys');
}
