import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { z } from 'zod';
import { mapDbError } from '../db-errors';
import { dbDate, dbDateOrNull } from '../internal/columns';
import { deleteExpiredRows } from '../internal/expired-rows';
import { assertSha256Hex } from '../internal/sha256-hex';

/** The ceremony a challenge was issued for; a challenge serves no other. */
export const webauthnChallengePurposes = [
  'registration',
  'authentication',
  'second_factor',
] as const;
export type WebAuthnChallengePurpose = (typeof webauthnChallengePurposes)[number];

const TABLE = 'webauthn_challenges';

const challengeSchema = z
  .object({
    id: z.string(),
    user_id: z.string().nullable(),
    purpose: z.enum(webauthnChallengePurposes),
    challenge_hash: z.string(),
    created_at: dbDate,
    expires_at: dbDate,
    consumed_at: dbDateOrNull,
  })
  .transform((r) => ({
    id: r.id,
    /** The user the ceremony is for; null for a passwordless sign-in (the credential names them). */
    userId: r.user_id,
    purpose: r.purpose,
    challengeHash: r.challenge_hash,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    consumedAt: r.consumed_at,
  }));

/** A WebAuthn challenge, known only by its hash. */
export type WebAuthnChallengeRow = z.output<typeof challengeSchema>;

/** What {@link WebAuthnChallengeRepository.create} needs. */
export interface NewWebAuthnChallenge {
  purpose: WebAuthnChallengePurpose;
  /** SHA-256 (64 lowercase hex) of the challenge as sent (base64url); the caller computes it. */
  challengeHash: string;
  userId?: string | null;
  expiresAt: Date;
}

/**
 * A tenant's WebAuthn challenges: single use, short-lived, bound to a purpose and, when known, a
 * user.
 *
 * @example
 * const challenge = randomBytes(32).toString('base64url');
 * await tenant.db.webauthnChallenges.create({ purpose: 'registration', userId,
 *   challengeHash: sha256(challenge), expiresAt: inFiveMinutes });
 * // the browser answers with clientDataJSON.challenge
 * const row = await tenant.db.webauthnChallenges.consume('registration', sha256(answered), new Date());
 * if (!row || row.userId !== userId) refuse();
 */
export interface WebAuthnChallengeRepository {
  /**
   * `ConflictError`: the hash is stored already; `NotFoundError`: unknown user;
   * `TypeError`: a malformed hash or purpose.
   */
  create(challenge: NewWebAuthnChallenge): Promise<WebAuthnChallengeRow>;
  /**
   * Spends the challenge iff it has this purpose, is unconsumed and unexpired at `now`, in one
   * conditional update: of concurrent calls exactly one gets the row; every other call, and any
   * call for an unknown, spent, expired or other-purpose challenge, gets undefined.
   */
  consume(
    purpose: WebAuthnChallengePurpose,
    challengeHash: string,
    now: Date,
  ): Promise<WebAuthnChallengeRow | undefined>;
  /**
   * Deletes up to `limit` (at most 1000) challenges that expired before `before`, consumed or
   * not, soonest expired first; returns how many.
   */
  deleteExpired(before: Date, limit: number): Promise<number>;
}

function assertPurpose(purpose: string): asserts purpose is WebAuthnChallengePurpose {
  if (!(webauthnChallengePurposes as readonly string[]).includes(purpose)) {
    throw new TypeError(`purpose must be one of ${webauthnChallengePurposes.join(', ')}`);
  }
}

/** Builds the WebAuthn challenge repository over a tenant's knex handle or transaction. */
export function createWebAuthnChallengeRepository(
  db: Knex | Knex.Transaction,
): WebAuthnChallengeRepository {
  const parse = (row: unknown): WebAuthnChallengeRow => challengeSchema.parse(row);
  return {
    async create(challenge) {
      assertPurpose(challenge.purpose);
      assertSha256Hex(challenge.challengeHash, 'challengeHash');
      const raw = {
        id: randomUUID(),
        user_id: challenge.userId ?? null,
        purpose: challenge.purpose,
        challenge_hash: challenge.challengeHash,
        created_at: new Date(),
        expires_at: challenge.expiresAt,
        consumed_at: null,
      };
      try {
        await db(TABLE).insert(raw);
      } catch (err) {
        throw mapDbError(err);
      }
      return parse(raw);
    },
    async consume(purpose, challengeHash, now) {
      // One conditional update decides the winner: no read-then-write window.
      const count = await db(TABLE)
        .where({ purpose, challenge_hash: challengeHash })
        .whereNull('consumed_at')
        .where('expires_at', '>', now)
        .update({ consumed_at: now });
      if (count !== 1) return undefined;
      const row: unknown = await db(TABLE).where({ challenge_hash: challengeHash }).first();
      return row === undefined ? undefined : parse(row);
    },
    deleteExpired: (before, limit) => deleteExpiredRows(db, TABLE, before, limit),
  };
}
