import type { Knex } from 'knex';
import { createTable, time, uuid } from '../schema-helpers';

/**
 * `webauthn_challenges`: the random challenge of each passkey ceremony (registration, passwordless
 * sign-in, second factor), known only by its SHA-256, live 5 minutes and consumed once, so a
 * signed assertion cannot be replayed. `user_id` binds it to the user when the ceremony knows
 * them (registration, second factor); passwordless sign-in learns the user from the credential.
 * Challenges go with their user.
 */
export async function up(knex: Knex): Promise<void> {
  await createTable(knex, 'webauthn_challenges', (t) => {
    uuid(t, 'id').primary();
    uuid(t, 'user_id').nullable();
    t.string('purpose', 32).notNullable();
    t.string('challenge_hash', 64).notNullable();
    time(t, 'created_at').notNullable();
    time(t, 'expires_at').notNullable();
    time(t, 'consumed_at').nullable();
    t.unique(['challenge_hash'], { indexName: 'webauthn_challenges__challenge_hash' });
    t.index(['user_id'], 'webauthn_challenges__user_id');
    t.index(['expires_at'], 'webauthn_challenges__expires_at');
    t.foreign('user_id', 'webauthn_challenges__user_id__fk')
      .references('id')
      .inTable('users')
      .onDelete('CASCADE');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('webauthn_challenges');
}
