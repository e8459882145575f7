import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { z } from 'zod';
import { mapDbError } from '../db-errors';
import { dbDate, dbDateOrNull, dbInt } from '../internal/columns';
import { deleteExpiredRows } from '../internal/expired-rows';
import { assertSha256Hex } from '../internal/sha256-hex';

/** What a one-time token proves, each with its own lifetime and page. */
export const oneTimeTokenPurposes = [
  'verify_email',
  'password_reset',
  'magic_link',
  'email_otp',
  // A code mailed as a second factor (docs/mfa.md): never a sign-in code on its own.
  'mfa_email',
] as const;
export type OneTimeTokenPurpose = (typeof oneTimeTokenPurposes)[number];

const TABLE = 'one_time_tokens';
const MAX_EMAIL = 320;

const oneTimeTokenSchema = z
  .object({
    id: z.string(),
    user_id: z.string(),
    purpose: z.enum(oneTimeTokenPurposes),
    secret_hash: z.string(),
    email: z.string(),
    attempts: dbInt,
    max_attempts: dbInt,
    created_at: dbDate,
    expires_at: dbDate,
    consumed_at: dbDateOrNull,
  })
  .transform((r) => ({
    id: r.id,
    userId: r.user_id,
    purpose: r.purpose,
    secretHash: r.secret_hash,
    /** The address the token was sent to: if the user's address changed since, refuse it. */
    email: r.email,
    /** Wrong guesses so far (codes); at `maxAttempts` the token is dead. */
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    consumedAt: r.consumed_at,
  }));

/** A one-time token sent by mail, known only by its hash. */
export type OneTimeTokenRow = z.output<typeof oneTimeTokenSchema>;

/** What {@link OneTimeTokenRepository.create} needs. */
export interface NewOneTimeToken {
  userId: string;
  purpose: OneTimeTokenPurpose;
  /**
   * 64 lowercase hex: SHA-256 of a link token, or HMAC-SHA256 (tenant subkey) of a code. The
   * caller computes it; the secret itself is never stored.
   */
  secretHash: string;
  /** The address the token is sent to (at most 320 characters). */
  email: string;
  /** Wrong guesses allowed (codes: 5); a positive integer. */
  maxAttempts: number;
  expiresAt: Date;
}

/**
 * A tenant's one-time tokens: email verification, password reset, magic links and email codes.
 * Single use; a token is live while unconsumed, unexpired and under its attempt limit.
 *
 * @example
 * // issue a link, killing the user's older ones
 * await tenant.db.transaction(async (tx) => {
 *   await tx.oneTimeTokens.revokeAll(user.id, 'password_reset', new Date());
 *   await tx.oneTimeTokens.create({ userId: user.id, purpose: 'password_reset',
 *     secretHash: sha256(token), email: user.email, maxAttempts: 1, expiresAt });
 *   await relay.sendMail(...); // enqueued in the same transaction
 * });
 * // the link is followed
 * const row = await tenant.db.oneTimeTokens.consume('password_reset', sha256(token), new Date());
 * if (!row || row.email !== currentEmailOf(row.userId)) fail();
 */
export interface OneTimeTokenRepository {
  /**
   * `ConflictError`: the (purpose, hash) pair is stored already; `NotFoundError`: unknown user;
   * `RangeError`/`TypeError`: a malformed field.
   */
  create(token: NewOneTimeToken): Promise<OneTimeTokenRow>;
  /**
   * Spends the token iff it is unconsumed, unexpired at `now` and under its attempt limit, in one
   * conditional update: of any number of concurrent calls exactly one gets the row; every other
   * call, and any call for an unknown, spent, expired or dead token, gets undefined.
   */
  consume(
    purpose: OneTimeTokenPurpose,
    secretHash: string,
    now: Date,
  ): Promise<OneTimeTokenRow | undefined>;
  /**
   * The live token with this hash, without spending it: a page shows what a link is for (the
   * reset page's username) before the form that spends it is posted. Mail scanners fetch links
   * ahead of the reader, so only the POST may consume.
   */
  peek(
    purpose: OneTimeTokenPurpose,
    secretHash: string,
    now: Date,
  ): Promise<OneTimeTokenRow | undefined>;
  /**
   * The user's newest live token for the purpose: an emailed code is checked against it (the
   * user gives email + code; compare the code's HMAC to `secretHash` in constant time, then
   * `consume` it, or `recordFailedAttempt`).
   */
  findLive(
    userId: string,
    purpose: OneTimeTokenPurpose,
    now: Date,
  ): Promise<OneTimeTokenRow | undefined>;
  /**
   * One more wrong guess, added atomically (never past `maxAttempts`); returns the guesses left,
   * 0 when the token is dead (or unknown).
   */
  recordFailedAttempt(id: string): Promise<number>;
  /**
   * Consumes every live token of the user for the purpose (a new code replaces the old one; a
   * reset kills the other reset links); returns how many.
   */
  revokeAll(userId: string, purpose: OneTimeTokenPurpose, now: Date): Promise<number>;
  /**
   * Deletes up to `limit` (at most 1000) tokens that expired before `before`, consumed or not,
   * soonest expired first; returns how many. A sweeper calls it until it returns less.
   */
  deleteExpired(before: Date, limit: number): Promise<number>;
}

function assertPurpose(purpose: string): asserts purpose is OneTimeTokenPurpose {
  if (!(oneTimeTokenPurposes as readonly string[]).includes(purpose)) {
    throw new TypeError(`purpose must be one of ${oneTimeTokenPurposes.join(', ')}`);
  }
}

/** Builds the one-time-token repository over a tenant's knex handle or transaction. */
export function createOneTimeTokenRepository(db: Knex | Knex.Transaction): OneTimeTokenRepository {
  const parse = (row: unknown): OneTimeTokenRow => oneTimeTokenSchema.parse(row);
  /** Unconsumed, unexpired at `now`, under the attempt limit. */
  const live = (query: Knex.QueryBuilder, now: Date): Knex.QueryBuilder =>
    query
      .whereNull('consumed_at')
      .where('expires_at', '>', now)
      .whereRaw('?? < ??', ['attempts', 'max_attempts']);
  return {
    async create(token) {
      assertPurpose(token.purpose);
      assertSha256Hex(token.secretHash, 'secretHash');
      if (token.email.length === 0 || token.email.length > MAX_EMAIL) {
        throw new RangeError(`email must be 1 to ${String(MAX_EMAIL)} characters`);
      }
      if (!Number.isInteger(token.maxAttempts) || token.maxAttempts < 1) {
        throw new RangeError('maxAttempts must be a positive integer');
      }
      const raw = {
        id: randomUUID(),
        user_id: token.userId,
        purpose: token.purpose,
        secret_hash: token.secretHash,
        email: token.email,
        attempts: 0,
        max_attempts: token.maxAttempts,
        created_at: new Date(),
        expires_at: token.expiresAt,
        consumed_at: null,
      };
      try {
        await db(TABLE).insert(raw);
      } catch (err) {
        throw mapDbError(err);
      }
      return parse(raw);
    },
    async consume(purpose, secretHash, now) {
      // One conditional update decides the winner; every driver evaluates it against the
      // latest committed row, so concurrent calls cannot both see it unconsumed.
      const count = await live(db(TABLE).where({ purpose, secret_hash: secretHash }), now).update({
        consumed_at: now,
      });
      if (count !== 1) return undefined;
      const row: unknown = await db(TABLE).where({ purpose, secret_hash: secretHash }).first();
      return row === undefined ? undefined : parse(row);
    },
    async peek(purpose, secretHash, now) {
      const row: unknown = await live(
        db(TABLE).where({ purpose, secret_hash: secretHash }),
        now,
      ).first();
      return row === undefined ? undefined : parse(row);
    },
    async findLive(userId, purpose, now) {
      const row: unknown = await live(db(TABLE).where({ user_id: userId, purpose }), now)
        .orderBy([
          { column: 'created_at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])
        .first();
      return row === undefined ? undefined : parse(row);
    },
    async recordFailedAttempt(id) {
      // The increment happens in the database (no read-modify-write), capped at the limit.
      await db(TABLE)
        .where({ id })
        .whereRaw('?? < ??', ['attempts', 'max_attempts'])
        .update({ attempts: db.raw('?? + 1', ['attempts']) });
      const row: unknown = await db(TABLE).where({ id }).first();
      if (row === undefined) return 0;
      const token = parse(row);
      return Math.max(0, token.maxAttempts - token.attempts);
    },
    revokeAll: (userId, purpose, now) =>
      live(db(TABLE).where({ user_id: userId, purpose }), now).update({ consumed_at: now }),
    deleteExpired: (before, limit) => deleteExpiredRows(db, TABLE, before, limit),
  };
}
