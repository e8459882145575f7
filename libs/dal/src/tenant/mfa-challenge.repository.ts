import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { z } from 'zod';
import { mapDbError } from '../db-errors';
import {
  dbDate,
  dbDateOrNull,
  dbInt,
  dbJsonObject,
  dbJsonStrings,
  toJson,
} from '../internal/columns';
import { deleteExpiredRows } from '../internal/expired-rows';
import { assertSha256Hex } from '../internal/sha256-hex';

const TABLE = 'mfa_challenges';

const mfaChallengeSchema = z
  .object({
    id: z.string(),
    user_id: z.string(),
    token_hash: z.string(),
    amr: dbJsonStrings,
    attempts: dbInt,
    max_attempts: dbInt,
    created_at: dbDate,
    expires_at: dbDate,
    consumed_at: dbDateOrNull,
    meta: dbJsonObject.nullable(),
  })
  .transform((r) => ({
    id: r.id,
    userId: r.user_id,
    tokenHash: r.token_hash,
    /** Methods the user already passed (RFC 8176), e.g. ["pwd"]. */
    amr: r.amr,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    consumedAt: r.consumed_at,
    meta: r.meta ?? {},
  }));

/** The sign-in step between the first factor and the second. */
export type MfaChallengeRow = z.output<typeof mfaChallengeSchema>;

/** What {@link MfaChallengeRepository.create} needs. */
export interface NewMfaChallenge {
  userId: string;
  /** SHA-256 (64 lowercase hex) of the opaque mfa_token; the token itself is never stored. */
  tokenHash: string;
  amr: readonly string[];
  /** A positive integer. */
  maxAttempts: number;
  expiresAt: Date;
  meta?: Record<string, unknown> | null;
}

/**
 * A tenant's pending MFA steps. A challenge is live while unconsumed, unexpired and under its
 * attempt limit.
 */
export interface MfaChallengeRepository {
  /** `ConflictError`: the hash is stored already; `NotFoundError`: unknown user. */
  create(challenge: NewMfaChallenge): Promise<MfaChallengeRow>;
  findLiveByHash(tokenHash: string, now: Date): Promise<MfaChallengeRow | undefined>;
  /** One more wrong code, atomically, never past the limit; the attempts left (0 = dead). */
  recordFailedAttempt(id: string): Promise<number>;
  /** Spends a live challenge in one conditional UPDATE: of concurrent calls exactly one wins. */
  consume(id: string, at: Date): Promise<boolean>;
  /** Deletes up to `limit` challenges that expired before `before`; how many. */
  deleteExpired(before: Date, limit?: number): Promise<number>;
}

/** Builds the MFA challenge repository over a tenant's knex handle or transaction. */
export function createMfaChallengeRepository(db: Knex | Knex.Transaction): MfaChallengeRepository {
  const parse = (row: unknown): MfaChallengeRow => mfaChallengeSchema.parse(row);
  const live = (query: Knex.QueryBuilder, now: Date): Knex.QueryBuilder =>
    query
      .whereNull('consumed_at')
      .where('expires_at', '>', now)
      .whereRaw('?? < ??', ['attempts', 'max_attempts']);
  return {
    async create(c) {
      assertSha256Hex(c.tokenHash, 'tokenHash');
      if (!Number.isInteger(c.maxAttempts) || c.maxAttempts < 1) {
        throw new RangeError('maxAttempts must be a positive integer');
      }
      const raw = {
        id: randomUUID(),
        user_id: c.userId,
        token_hash: c.tokenHash,
        amr: toJson(c.amr),
        attempts: 0,
        max_attempts: c.maxAttempts,
        created_at: new Date(),
        expires_at: c.expiresAt,
        consumed_at: null,
        meta: c.meta ? toJson(c.meta) : null,
      };
      try {
        await db(TABLE).insert(raw);
      } catch (err) {
        throw mapDbError(err);
      }
      return parse(raw);
    },
    async findLiveByHash(tokenHash, now) {
      const row: unknown = await live(db(TABLE).where({ token_hash: tokenHash }), now).first();
      return row === undefined ? undefined : parse(row);
    },
    async recordFailedAttempt(id) {
      await db(TABLE)
        .where({ id })
        .whereRaw('?? < ??', ['attempts', 'max_attempts'])
        .update({ attempts: db.raw('?? + 1', ['attempts']) });
      const row: unknown = await db(TABLE).where({ id }).first();
      if (row === undefined) return 0;
      const c = parse(row);
      return Math.max(0, c.maxAttempts - c.attempts);
    },
    async consume(id, at) {
      return (await live(db(TABLE).where({ id }), at).update({ consumed_at: at })) === 1;
    },
    deleteExpired: (before, limit = 1000) => deleteExpiredRows(db, TABLE, before, limit),
  };
}
