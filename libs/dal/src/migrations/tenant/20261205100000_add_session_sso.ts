import type { Knex } from 'knex';

/**
 * Browser SSO sessions (the hosted login's cookie) are rows of `sessions`, not a table of their
 * own. Every way a session ends already works on that one table: `GET|DELETE /v1/sessions` list
 * and revoke it, sign-out everywhere, a password change or reset, disabling a user and the
 * per-user session cap revoke it, and the bearer guard checks a `sid` against it. A second table
 * would need each of those paths (and a keyset page over two tables) doubled, and a path that
 * forgot it would leave a browser signed in. A browser session is the row with a
 * `browser_handle_hash` (SHA-256 of the opaque cookie handle; the handle is never stored).
 *
 * The sessions a client's tokens hang off (one per authorization code redeemed) point at the
 * browser session they came from with `browser_session_id`; revoking the browser session revokes
 * them too. `client_id` and `scope` bind those sessions' refresh tokens to the client and the
 * granted scope (RFC 9700 §2.2.2, RFC 6749 §6); `auth_time`, `amr` and `acr` are what their
 * ID tokens must keep repeating on refresh (OIDC Core §12.2). All are null on first-party
 * sessions; a session from before this migration reads `auth_time` as its `created_at`.
 *
 * `browser_session_id` has no foreign key: adding one to an existing table makes knex rebuild
 * `sessions` on SQLite, and dropping the old copy would cascade into `refresh_tokens`. Sessions
 * are deleted only with their user, which removes both ends of the link together.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sessions', (t) => {
    // Types as in schema-helpers (uuid, time, json), which take a create-table builder only.
    t.string('browser_handle_hash', 64).nullable();
    t.string('browser_session_id', 36).nullable();
    t.datetime('auth_time', { precision: 3 }).nullable();
    t.text('amr', 'mediumtext').nullable();
    t.string('acr', 255).nullable();
    t.string('client_id', 128).nullable();
    t.text('scope').nullable();
    t.unique(['browser_handle_hash'], { indexName: 'sessions__browser_handle_hash' });
    t.index(['browser_session_id'], 'sessions__browser_session_id');
  });
}

const ADDED = [
  'browser_handle_hash',
  'browser_session_id',
  'auth_time',
  'amr',
  'acr',
  'client_id',
  'scope',
];

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sessions', (t) => {
    t.dropUnique(['browser_handle_hash'], 'sessions__browser_handle_hash');
    t.dropIndex(['browser_session_id'], 'sessions__browser_session_id');
  });
  // Plain DROP COLUMN on every driver (SQLite >= 3.35): knex's dropColumn rebuilds the table on
  // SQLite, and dropping the old `sessions` would cascade into `refresh_tokens`.
  for (const column of ADDED) {
    await knex.raw('alter table ?? drop column ??', ['sessions', column]);
  }
}
