import type { Knex } from 'knex';
import { createTable, time, uuid } from '../schema-helpers';

/**
 * Federation (docs/federation.md). `user_identities` links a user to an upstream account by
 * (provider, upstream `sub`). `federation_states` holds the short-lived server side of an upstream
 * round trip (and of a pending "sign in with your password to link"), known by the SHA-256 of the
 * handle the browser carries, its content sealed with the data plane's master key; consuming a
 * row is one conditional UPDATE, so a state is spent once.
 */
export async function up(knex: Knex): Promise<void> {
  await createTable(knex, 'user_identities', (t) => {
    uuid(t, 'id').primary();
    uuid(t, 'provider_id').notNullable();
    t.string('subject', 255).notNullable();
    uuid(t, 'user_id').notNullable();
    t.string('email', 320).nullable();
    t.text('tokens_sealed').nullable();
    time(t, 'created_at').notNullable();
    time(t, 'last_used_at').nullable();
    // A unique index, not a named composite primary key: knex writes the latter wrongly for SQLite.
    t.unique(['provider_id', 'subject'], { indexName: 'user_identities__provider_id__subject' });
    t.index(['user_id'], 'user_identities__user_id');
    t.foreign('user_id', 'user_identities__user_id__fk')
      .references('id')
      .inTable('users')
      .onDelete('CASCADE');
  });
  await createTable(knex, 'federation_states', (t) => {
    uuid(t, 'id').primary();
    t.string('handle_hash', 64).notNullable();
    t.string('kind', 16).notNullable();
    uuid(t, 'provider_id').notNullable();
    t.text('sealed').notNullable();
    time(t, 'created_at').notNullable();
    time(t, 'expires_at').notNullable();
    time(t, 'consumed_at').nullable();
    t.unique(['handle_hash'], { indexName: 'federation_states__handle_hash' });
    t.index(['expires_at'], 'federation_states__expires_at');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('federation_states');
  await knex.schema.dropTable('user_identities');
}
