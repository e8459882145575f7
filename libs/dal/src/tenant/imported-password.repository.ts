import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { z } from 'zod';
import { mapDbError } from '../db-errors';
import { dbJsonObject } from '../internal/columns';

/** A password hash brought in by a user import, kept until the user's first sign-in. */
export interface ImportedPassword {
  algorithm: string;
  hash: string;
  /** Salt and scheme parameters; a project secret is named by `key_id`, never stored here. */
  params: Record<string, unknown>;
}

/** A sealed project-wide secret of a hash scheme (e.g. Firebase's signer key). */
export interface PasswordHashKey {
  id: string;
  sealed: string;
}

/**
 * Imported password hashes (credentials of type `imported`) and the sealed keys their schemes
 * need. The sign-in path reads one, and swaps it for the tenant's own hash once it has matched.
 */
export interface ImportedPasswordRepository {
  find(userId: string): Promise<ImportedPassword | undefined>;
  /** Sets the tenant's own password hash and deletes the imported one, in one transaction. */
  replaceWithNative(userId: string, nativeHash: string): Promise<void>;
  findKey(id: string): Promise<PasswordHashKey | undefined>;
  /**
   * The key with this fingerprint, stored with `seal(id)` first if it is new; concurrent callers
   * end up with the same row.
   */
  ensureKey(fingerprint: string, seal: (id: string) => string): Promise<PasswordHashKey>;
}

const importedRow = z.object({
  algorithm: z.string(),
  secret_hash: z.string(),
  params: dbJsonObject,
});
const keyRow = z.object({ id: z.string(), sealed: z.string() });

export function createImportedPasswordRepository(
  db: Knex | Knex.Transaction,
): ImportedPasswordRepository {
  const keyBy = async (where: Record<string, string>): Promise<PasswordHashKey | undefined> => {
    const row: unknown = await db('password_hash_keys').select('id', 'sealed').where(where).first();
    return row === undefined ? undefined : keyRow.parse(row);
  };
  return {
    async find(userId) {
      const row: unknown = await db('credentials')
        .select('algorithm', 'secret_hash', 'params')
        .where({ user_id: userId, type: 'imported' })
        .first();
      if (row === undefined) return undefined;
      const parsed = importedRow.parse(row);
      return { algorithm: parsed.algorithm, hash: parsed.secret_hash, params: parsed.params };
    },
    async replaceWithNative(userId, nativeHash) {
      const now = new Date();
      try {
        await db.transaction(async (trx) => {
          await trx('credentials')
            .insert({
              id: randomUUID(),
              user_id: userId,
              type: 'password',
              secret_hash: nativeHash,
              created_at: now,
              updated_at: now,
            })
            .onConflict(['user_id', 'type'])
            .merge(['secret_hash', 'updated_at']);
          await trx('credentials').where({ user_id: userId, type: 'imported' }).delete();
        });
      } catch (err) {
        throw mapDbError(err);
      }
    },
    findKey: (id) => keyBy({ id }),
    async ensureKey(fingerprint, seal) {
      const existing = await keyBy({ fingerprint });
      if (existing) return existing;
      const id = randomUUID();
      await db('password_hash_keys')
        .insert({ id, fingerprint, sealed: seal(id), created_at: new Date() })
        .onConflict(['fingerprint'])
        .ignore();
      const stored = await keyBy({ fingerprint });
      if (!stored) throw new Error('password hash key vanished after insert');
      return stored;
    },
  };
}
