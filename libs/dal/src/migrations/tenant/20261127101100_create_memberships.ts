import type { Knex } from 'knex';
import { createTable, time, uuid } from '../schema-helpers';

export async function up(knex: Knex): Promise<void> {
  await createTable(knex, 'memberships', (t) => {
    uuid(t, 'id').primary();
    uuid(t, 'organization_id').notNullable();
    uuid(t, 'user_id').notNullable();
    t.string('role', 64).notNullable();
    time(t, 'created_at').notNullable();
    time(t, 'updated_at').notNullable();
    t.unique(['organization_id', 'user_id'], {
      indexName: 'memberships__organization_id__user_id',
    });
    t.index(['user_id'], 'memberships__user_id');
    t.foreign('organization_id', 'memberships__organization_id__fk')
      .references('id')
      .inTable('organizations')
      .onDelete('CASCADE');
    t.foreign('user_id', 'memberships__user_id__fk')
      .references('id')
      .inTable('users')
      .onDelete('CASCADE');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('memberships');
}
