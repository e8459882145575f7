import type { Knex } from 'knex';
import { createTable, time, uuid } from '../schema-helpers';

export async function up(knex: Knex): Promise<void> {
  await createTable(knex, 'mfa_factors', (t) => {
    uuid(t, 'id').primary();
    uuid(t, 'user_id').notNullable();
    t.string('type', 16).notNullable();
    t.string('name', 200).nullable();
    t.text('secret_encrypted').nullable();
    t.string('credential_id', 512).nullable();
    t.text('public_key').nullable();
    t.bigInteger('sign_count').notNullable().defaultTo(0);
    time(t, 'confirmed_at').nullable();
    time(t, 'last_used_at').nullable();
    time(t, 'created_at').notNullable();
    t.index(['user_id'], 'mfa_factors__user_id');
    t.foreign('user_id', 'mfa_factors__user_id__fk')
      .references('id')
      .inTable('users')
      .onDelete('CASCADE');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('mfa_factors');
}
