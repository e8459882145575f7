import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { z } from 'zod';
import { mapDbError } from '../db-errors';
import { dbDate, dbDateOrNull, dbJson, toJson } from '../internal/columns';
import { deleteExpiredRows } from '../internal/expired-rows';
import { assertSha256Hex } from '../internal/sha256-hex';

const optional = <T extends z.ZodType>(schema: T) => schema.nullable().default(null);

/**
 * The authorization request `/authorize` validated, kept for the steps after the login page.
 * Parameter names and values as on the wire (OIDC Core §3.1.2.1, RFC 7636 §4.3); absent ones null.
 */
const authorizationRequestSchema = z.object({
  response_type: z.string(),
  redirect_uri: z.string(),
  scope: z.string(),
  state: optional(z.string()),
  nonce: optional(z.string()),
  code_challenge: optional(z.string()),
  code_challenge_method: optional(z.string()),
  prompt: optional(z.string()),
  max_age: optional(z.number().int().nonnegative()),
  login_hint: optional(z.string()),
  ui_locales: optional(z.string()),
  response_mode: optional(z.string()),
  acr_values: optional(z.string()),
  display: optional(z.string()),
  // RFC 8707: the API resource the tokens are for (identifier = aud).
  resource: optional(z.string()),
});

/** A stored authorization request, every parameter present (null when the client sent none). */
export type StoredAuthorizationRequest = z.output<typeof authorizationRequestSchema>;

/** An authorization request to store: the optional parameters may be left out. */
export type AuthorizationRequestInput = z.input<typeof authorizationRequestSchema>;

const loginTransactionSchema = z
  .object({
    id: z.string(),
    handle_hash: z.string(),
    client_id: z.string(),
    request: dbJson.pipe(authorizationRequestSchema),
    created_at: dbDate,
    expires_at: dbDate,
    completed_at: dbDateOrNull,
  })
  .transform((r) => ({
    id: r.id,
    handleHash: r.handle_hash,
    clientId: r.client_id,
    request: r.request,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    completedAt: r.completed_at,
  }));

/** One authorization request on its way through the hosted login, MFA and consent pages. */
export type LoginTransactionRow = z.output<typeof loginTransactionSchema>;

/** What {@link LoginTransactionRepository.create} needs. */
export interface NewLoginTransaction {
  /** SHA-256 (64 lowercase hex) of the opaque handle the pages carry (never stored itself). */
  handleHash: string;
  clientId: string;
  request: AuthorizationRequestInput;
  /** About 10 minutes from now: long enough to type a password and find a second factor. */
  expiresAt: Date;
}

/**
 * A tenant's login transactions: the authorization request between `/authorize` and the code,
 * in the database so any replica serves any step.
 *
 * @example
 * const handle = randomBytes(32).toString('base64url'); // a hidden form field or cookie
 * const tx = await tenant.db.loginTransactions.create({ handleHash: sha256(handle), clientId,
 *   request, expiresAt: new Date(Date.now() + 600_000) });
 * // ...on the consent page's POST, on any replica:
 * const live = await tenant.db.loginTransactions.findLiveByHandleHash(sha256(handle), new Date());
 * if (live && (await tenant.db.loginTransactions.complete(live.id, new Date()))) issueCode(live);
 */
export interface LoginTransactionRepository {
  /** Throws `ConflictError` for a handle hash already in use. */
  create(transaction: NewLoginTransaction): Promise<LoginTransactionRow>;
  /** The transaction the handle names, unless unknown, completed or expired at `now`. */
  findLiveByHandleHash(handleHash: string, now: Date): Promise<LoginTransactionRow | undefined>;
  /**
   * Marks the transaction done, once: a conditional update, so of concurrent callers (a form
   * posted twice, two replicas) exactly one gets true and issues the code. False when it was
   * already completed, is unknown or expired at `now`.
   */
  complete(id: string, now: Date): Promise<boolean>;
  /**
   * Deletes up to `limit` (at most 1000) transactions that expired before `before`, completed or
   * not, soonest expired first; returns how many. A sweeper calls it until it returns less.
   */
  deleteExpired(before: Date, limit: number): Promise<number>;
}

/** Builds the login-transaction repository over a tenant's knex handle or transaction. */
export function createLoginTransactionRepository(
  db: Knex | Knex.Transaction,
): LoginTransactionRepository {
  const parse = (row: unknown): LoginTransactionRow => loginTransactionSchema.parse(row);
  return {
    async create(transaction) {
      assertSha256Hex(transaction.handleHash, 'handleHash');
      const raw = {
        id: randomUUID(),
        handle_hash: transaction.handleHash,
        client_id: transaction.clientId,
        request: toJson(authorizationRequestSchema.parse(transaction.request)),
        created_at: new Date(),
        expires_at: transaction.expiresAt,
        completed_at: null,
      };
      try {
        await db('oauth_login_transactions').insert(raw);
      } catch (err) {
        throw mapDbError(err);
      }
      return parse(raw);
    },
    async findLiveByHandleHash(handleHash, now) {
      const row: unknown = await db('oauth_login_transactions')
        .where({ handle_hash: handleHash })
        .whereNull('completed_at')
        .where('expires_at', '>', now)
        .first();
      return row === undefined ? undefined : parse(row);
    },
    async complete(id, now) {
      const count = await db('oauth_login_transactions')
        .where({ id })
        .whereNull('completed_at')
        .where('expires_at', '>', now)
        .update({ completed_at: now });
      return count === 1;
    },
    deleteExpired: (before, limit) =>
      deleteExpiredRows(db, 'oauth_login_transactions', before, limit),
  };
}
