import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { z } from 'zod';
import { mapDbError } from '../db-errors';

/** A user's password hash (one per user). */
export interface CredentialRepository {
  /** Creates or replaces the password hash; NotFoundError when the user does not exist. */
  setPassword(userId: string, hash: string): Promise<void>;
  getPasswordHash(userId: string): Promise<string | undefined>;
}

const hashRow = z.object({ secret_hash: z.string() });

/** Builds the credential repository over a tenant's knex handle or transaction. */
export function createCredentialRepository(db: Knex | Knex.Transaction): CredentialRepository {
  return {
    async setPassword(userId, hash) {
      const now = new Date();
      try {
        await db('credentials')
          .insert({
            id: randomUUID(),
            user_id: userId,
            type: 'password',
            secret_hash: hash,
            created_at: now,
            updated_at: now,
          })
          .onConflict(['user_id', 'type'])
          .merge(['secret_hash', 'updated_at']);
      } catch (err) {
        throw mapDbError(err);
      }
    },
    async getPasswordHash(userId) {
      const row: unknown = await db('credentials')
        .select('secret_hash')
        .where({ user_id: userId, type: 'password' })
        .first();
      return row === undefined ? undefined : hashRow.parse(row).secret_hash;
    },
  };
}
