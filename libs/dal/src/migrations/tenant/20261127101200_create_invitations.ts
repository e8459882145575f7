import type { Knex } from 'knex';
import { createTable, time, uuid } from '../schema-helpers';

export async function up(knex: Knex): Promise<void> {
  await createTable(knex, 'invitations', (t) => {
    uuid(t, 'id').primary();
    uuid(t, 'organization_id').notNullable();
    t.string('email_normalized', 320).notNullable();
    t.string('role', 64).notNullable();
    t.string('token_hash', 64).notNullable();
    uuid(t, 'invited_by').nullable();
    time(t, 'expires_at').notNullable();
    time(t, 'accepted_at').nullable();
    time(t, 'revoked_at').nullable();
    time(t, 'created_at').notNullable();
    t.unique(['token_hash'], { indexName: 'invitations__token_hash' });
    t.index(
      ['organization_id', 'email_normalized'],
      'invitations__organization_id__email_normalized',
    );
    t.foreign('organization_id', 'invitations__organization_id__fk')
      .references('id')
      .inTable('organizations')
      .onDelete('CASCADE');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('invitations');
}
