import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { z } from 'zod';
import { mapDbError } from '../db-errors';
import { dbDate, dbDateOrNull, dbJsonStrings, toJson } from '../internal/columns';
import { deleteExpiredRows } from '../internal/expired-rows';
import { assertSha256Hex } from '../internal/sha256-hex';

const authorizationCodeSchema = z
  .object({
    id: z.string(),
    code_hash: z.string(),
    client_id: z.string(),
    user_id: z.string(),
    session_id: z.string(),
    redirect_uri: z.string(),
    scope: z.string(),
    nonce: z.string().nullable(),
    code_challenge: z.string().nullable(),
    code_challenge_method: z.string().nullable(),
    auth_time: dbDate,
    amr: dbJsonStrings,
    acr: z.string().nullable(),
    created_at: dbDate,
    expires_at: dbDate,
    consumed_at: dbDateOrNull,
    issued_session_id: z.string().nullable(),
    resource: z.string().nullable().optional(),
  })
  .transform((r) => ({
    id: r.id,
    codeHash: r.code_hash,
    clientId: r.client_id,
    userId: r.user_id,
    /** The browser session the code was issued under. */
    sessionId: r.session_id,
    redirectUri: r.redirect_uri,
    scope: r.scope,
    nonce: r.nonce,
    codeChallenge: r.code_challenge,
    codeChallengeMethod: r.code_challenge_method,
    authTime: r.auth_time,
    amr: r.amr,
    acr: r.acr,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    consumedAt: r.consumed_at,
    /** The session the redemption's tokens hang off: what a replay revokes. */
    issuedSessionId: r.issued_session_id,
    /** The API resource (RFC 8707) the tokens are for; null: the tenant's own audience. */
    resource: r.resource ?? null,
  }));

/** An authorization code, known only by its SHA-256 hash. */
export type AuthorizationCodeRow = z.output<typeof authorizationCodeSchema>;

/** What {@link AuthorizationCodeRepository.create} needs. */
export interface NewAuthorizationCode {
  /** SHA-256 (64 lowercase hex) of the code; the code itself is never stored. */
  codeHash: string;
  clientId: string;
  userId: string;
  /**
   * The browser session the user is signed in with. The code is deleted with it; a revoked one
   * must fail the redemption, which the token endpoint checks.
   */
  sessionId: string;
  /** Exactly as the authorization request sent it: the token request must repeat it. */
  redirectUri: string;
  /** The scope granted, space-separated. */
  scope: string;
  nonce: string | null;
  codeChallenge: string | null;
  codeChallengeMethod: string | null;
  authTime: Date;
  amr: readonly string[];
  acr: string | null;
  /** 60 s from now. */
  expiresAt: Date;
  /** The API resource (RFC 8707) the authorization request named; null or absent: none. */
  resource?: string | null;
}

/**
 * What {@link AuthorizationCodeRepository.consume} found:
 * - `redeemed`: this call spent the code; issue the tokens on `issuedSessionId`;
 * - `replayed`: spent before (by another call, perhaps a moment ago): answer `invalid_grant` and
 *   revoke `code.issuedSessionId`, what the first redemption issued (RFC 6749 §4.1.2);
 * - `invalid`: unknown, or expired unspent: `invalid_grant`, nothing to revoke.
 */
export type CodeRedemption =
  | { outcome: 'redeemed'; code: AuthorizationCodeRow }
  | { outcome: 'replayed'; code: AuthorizationCodeRow }
  | { outcome: 'invalid' };

/**
 * A tenant's authorization codes (RFC 6749 §4.1, RFC 7636): single use, 60 s, stored hashed.
 *
 * Redeem a code in one tenant transaction: `consume` names the session the tokens will hang off
 * (its id chosen before), then the session is created. A concurrent replay's `consume` waits on
 * the code's row until that commits (SQLite: on the one connection), so it always finds the
 * session it has to revoke.
 *
 * @example
 * const found = await tenant.db.authorizationCodes.findByHash(sha256(code));
 * // check client_id, redirect_uri and the PKCE verifier against `found` first, then:
 * // ...and that the browser session `found.sessionId` is still live, then:
 * const sessionId = randomUUID();
 * const outcome = await tenant.db.transaction(async (tx) => {
 *   const result = await tx.authorizationCodes.consume(sha256(code), new Date(), sessionId);
 *   if (result.outcome === 'redeemed') {
 *     await tx.sessions.create({ id: sessionId, browserSessionId: result.code.sessionId, ... });
 *   } else if (result.outcome === 'replayed' && result.code.issuedSessionId) {
 *     await tx.sessions.revoke(result.code.issuedSessionId, 'authorization_code_reused');
 *   }
 *   return result.outcome; // throwing here would roll the revocation back
 * });
 * if (outcome !== 'redeemed') throw new OAuthError('invalid_grant');
 */
export interface AuthorizationCodeRepository {
  /** `ConflictError`: the hash is already stored; `NotFoundError`: unknown user or session. */
  create(code: NewAuthorizationCode): Promise<AuthorizationCodeRow>;
  /**
   * Reads a code without spending it, spent or expired ones included (to check the client,
   * `redirect_uri` and PKCE before `consume`, so a wrong verifier does not burn the code).
   */
  findByHash(codeHash: string): Promise<AuthorizationCodeRow | undefined>;
  /**
   * Spends the code if it is unspent and unexpired at `now`, recording `issuedSessionId` in the
   * same conditional update: of any number of concurrent calls exactly one gets `redeemed`, and
   * every other one `replayed` with the winner's `issuedSessionId`. A spent code stays
   * `replayed` after it expires, until `deleteExpired` removes it.
   */
  consume(codeHash: string, now: Date, issuedSessionId: string): Promise<CodeRedemption>;
  /**
   * Deletes up to `limit` (at most 1000) codes that expired before `before`, spent or not;
   * returns how many. Passing a `before` some minutes in the past keeps spent codes around to
   * recognise late replays.
   */
  deleteExpired(before: Date, limit: number): Promise<number>;
}

/** Builds the authorization-code repository over a tenant's knex handle or transaction. */
export function createAuthorizationCodeRepository(
  db: Knex | Knex.Transaction,
): AuthorizationCodeRepository {
  const parse = (row: unknown): AuthorizationCodeRow => authorizationCodeSchema.parse(row);
  const find = async (codeHash: string): Promise<AuthorizationCodeRow | undefined> => {
    const row: unknown = await db('oauth_authorization_codes')
      .where({ code_hash: codeHash })
      .first();
    return row === undefined ? undefined : parse(row);
  };
  return {
    async create(code) {
      assertSha256Hex(code.codeHash, 'codeHash');
      const raw = {
        id: randomUUID(),
        code_hash: code.codeHash,
        client_id: code.clientId,
        user_id: code.userId,
        session_id: code.sessionId,
        redirect_uri: code.redirectUri,
        scope: code.scope,
        nonce: code.nonce,
        code_challenge: code.codeChallenge,
        code_challenge_method: code.codeChallengeMethod,
        auth_time: code.authTime,
        amr: toJson(code.amr),
        acr: code.acr,
        resource: code.resource ?? null,
        created_at: new Date(),
        expires_at: code.expiresAt,
        consumed_at: null,
        issued_session_id: null,
      };
      try {
        await db('oauth_authorization_codes').insert(raw);
      } catch (err) {
        throw mapDbError(err);
      }
      return parse(raw);
    },
    findByHash: find,
    async consume(codeHash, now, issuedSessionId) {
      // One statement spends the code and names what the winner issues, so a replay that reads
      // the row after the winner committed always sees both (as refresh tokens' markUsed does).
      const count = await db('oauth_authorization_codes')
        .where({ code_hash: codeHash })
        .whereNull('consumed_at')
        .where('expires_at', '>', now)
        .update({ consumed_at: now, issued_session_id: issuedSessionId });
      const code = await find(codeHash);
      if (code === undefined) return { outcome: 'invalid' };
      if (count === 1) return { outcome: 'redeemed', code };
      return code.consumedAt === null ? { outcome: 'invalid' } : { outcome: 'replayed', code };
    },
    deleteExpired: (before, limit) =>
      deleteExpiredRows(db, 'oauth_authorization_codes', before, limit),
  };
}
