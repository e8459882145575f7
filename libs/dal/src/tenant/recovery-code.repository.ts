import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { mapDbError } from '../db-errors';
import { countRow } from '../internal/columns';
import { assertSha256Hex } from '../internal/sha256-hex';

const TABLE = 'recovery_codes';
const MAX_CODES = 50;

/**
 * A user's MFA recovery codes, known only by their hashes (64 lowercase hex, computed by the
 * caller). Each is single use.
 *
 * @example
 * await db.recoveryCodes.replaceAll(user.id, codes.map(hashOf), new Date());
 * if (!(await db.recoveryCodes.consume(user.id, hashOf(input), new Date()))) fail();
 */
export interface RecoveryCodeRepository {
  /** Deletes the user's codes, used or not, and stores these (in one transaction). */
  replaceAll(userId: string, hashes: readonly string[], at: Date): Promise<void>;
  /**
   * Spends the code iff it is the user's and unused, in one conditional UPDATE: of concurrent
   * calls with the same code exactly one gets true.
   */
  consume(userId: string, hash: string, at: Date): Promise<boolean>;
  /** Unused codes left. */
  countRemaining(userId: string): Promise<number>;
  /** Deletes every code of the user (admin reset, last factor removed); how many. */
  deleteAllForUser(userId: string): Promise<number>;
}

/** Builds the recovery-code repository over a tenant's knex handle or transaction. */
export function createRecoveryCodeRepository(db: Knex | Knex.Transaction): RecoveryCodeRepository {
  return {
    async replaceAll(userId, hashes, at) {
      if (hashes.length > MAX_CODES) {
        throw new RangeError(`at most ${String(MAX_CODES)} recovery codes`);
      }
      for (const hash of hashes) assertSha256Hex(hash, 'hash');
      try {
        await db.transaction(async (trx) => {
          await trx(TABLE).where({ user_id: userId }).del();
          if (hashes.length === 0) return;
          await trx(TABLE).insert(
            hashes.map((hash) => ({
              id: randomUUID(),
              user_id: userId,
              code_hash: hash,
              used_at: null,
              created_at: at,
            })),
          );
        });
      } catch (err) {
        throw mapDbError(err);
      }
    },
    async consume(userId, hash, at) {
      const count = await db(TABLE)
        .where({ user_id: userId, code_hash: hash })
        .whereNull('used_at')
        .update({ used_at: at });
      return count === 1;
    },
    async countRemaining(userId) {
      const row: unknown = await db(TABLE)
        .where({ user_id: userId })
        .whereNull('used_at')
        .count({ n: '*' })
        .first();
      return countRow.parse(row).n;
    },
    deleteAllForUser: (userId) => db(TABLE).where({ user_id: userId }).del(),
  };
}
