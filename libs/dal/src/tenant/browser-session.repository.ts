import type { Knex } from 'knex';
import { mapDbError } from '../db-errors';
import { toJson } from '../internal/columns';
import { assertSha256Hex } from '../internal/sha256-hex';
import type { SessionRow } from './session.repository';
import { insertSession, parseSessionRow, revokeSession } from './session.repository';

/** What {@link BrowserSessionRepository.create} needs. */
export interface NewBrowserSession {
  id: string;
  userId: string;
  /** SHA-256 (64 lowercase hex) of the opaque handle in the cookie; the handle is never stored. */
  handleHash: string;
  /** The end of single sign-on through this browser (OIDC `max_age` may demand a login sooner). */
  expiresAt: Date;
  /** When the user authenticated (OIDC `auth_time`). */
  authTime: Date;
  /** How (RFC 8176 `amr` values, e.g. `["pwd"]`, `["pwd", "otp", "mfa"]`). */
  amr: readonly string[];
  acr: string | null;
  userAgent: string | null;
  ip: string | null;
}

/** A fresh authentication in a live browser session (OIDC `prompt=login`, `max_age`, step-up). */
export interface Reauthentication {
  /** The new handle's hash: the cookie changes whenever the authentication does. */
  handleHash: string;
  authTime: Date;
  amr: readonly string[];
  acr: string | null;
}

/**
 * The hosted login's browser sessions (single sign-on): rows of `sessions` with a handle hash,
 * so `GET|DELETE /v1/sessions`, sign-out everywhere and every other revocation reach them. The
 * sessions of the tokens issued through one (`NewSession.browserSessionId`) end with it.
 *
 * @example
 * const handle = randomBytes(32).toString('base64url'); // the cookie value
 * await tenant.db.browserSessions.create({ id: randomUUID(), userId, handleHash: sha256(handle),
 *   expiresAt, authTime: new Date(), amr: ['pwd'], acr: null, userAgent, ip });
 * const sso = await tenant.db.browserSessions.findLiveByHandleHash(sha256(cookie), new Date());
 */
export interface BrowserSessionRepository {
  /** `ConflictError`: the handle hash is already in use; `NotFoundError`: unknown user. */
  create(session: NewBrowserSession): Promise<SessionRow>;
  /** The browser session the cookie names, unless it is unknown, revoked or expired at `now`. */
  findLiveByHandleHash(handleHash: string, now: Date): Promise<SessionRow | undefined>;
  /**
   * Records use at `now` and, when given, slides the expiry to `expiresAt`; false (and nothing
   * changed) when the session is not a live browser session at `now`.
   */
  touch(id: string, now: Date, expiresAt?: Date): Promise<boolean>;
  /**
   * Records a fresh authentication and rotates the handle, keeping the session (and the client
   * sessions started from it); false when it is not a live browser session at `now`.
   */
  reauthenticate(id: string, now: Date, auth: Reauthentication): Promise<boolean>;
  /**
   * Ends the browser session (sign-out, RP-initiated logout) and every live session started from
   * it, as `sessions.revoke` does; false when it was unknown or already revoked.
   */
  revoke(id: string, reason: string): Promise<boolean>;
}

/** Builds the browser-session repository over a tenant's knex handle or transaction. */
export function createBrowserSessionRepository(
  db: Knex | Knex.Transaction,
): BrowserSessionRepository {
  const live = (now: Date) =>
    db('sessions')
      .whereNotNull('browser_handle_hash')
      .whereNull('revoked_at')
      .where('expires_at', '>', now);
  return {
    async create(session) {
      assertSha256Hex(session.handleHash, 'handleHash');
      const { handleHash, ...fields } = session;
      return insertSession(db, fields, handleHash);
    },
    async findLiveByHandleHash(handleHash, now) {
      const row: unknown = await live(now).where({ browser_handle_hash: handleHash }).first();
      return row === undefined ? undefined : parseSessionRow(row);
    },
    async touch(id, now, expiresAt) {
      const changes: Record<string, Date> = { last_used_at: now };
      if (expiresAt !== undefined) changes['expires_at'] = expiresAt;
      return (await live(now).where({ id }).update(changes)) === 1;
    },
    async reauthenticate(id, now, auth) {
      assertSha256Hex(auth.handleHash, 'handleHash');
      try {
        const count = await live(now)
          .where({ id })
          .update({
            browser_handle_hash: auth.handleHash,
            auth_time: auth.authTime,
            amr: toJson(auth.amr),
            acr: auth.acr,
            last_used_at: now,
          });
        return count === 1;
      } catch (err) {
        throw mapDbError(err);
      }
    },
    revoke: (id, reason) => revokeSession(db, id, reason),
  };
}
