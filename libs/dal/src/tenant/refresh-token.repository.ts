import type { Knex } from 'knex';
import { z } from 'zod';
import { mapDbError } from '../db-errors';
import { dbDate, dbDateOrNull } from '../internal/columns';
import { assertSha256Hex } from '../internal/sha256-hex';

const refreshTokenSchema = z
  .object({
    id: z.string(),
    session_id: z.string(),
    token_hash: z.string(),
    parent_id: z.string().nullable(),
    created_at: dbDate,
    expires_at: dbDate,
    used_at: dbDateOrNull,
    replaced_by: z.string().nullable(),
    revoked_at: dbDateOrNull,
    successor_encrypted: z.string().nullable(),
  })
  .transform((r) => ({
    id: r.id,
    sessionId: r.session_id,
    tokenHash: r.token_hash,
    parentId: r.parent_id,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    usedAt: r.used_at,
    replacedBy: r.replaced_by,
    revokedAt: r.revoked_at,
    /** The successor's plaintext sealed with the master key, kept for the reuse interval. */
    successorEncrypted: r.successor_encrypted,
  }));

/** A refresh token, known only by its SHA-256 hash. */
export type RefreshTokenRow = z.output<typeof refreshTokenSchema>;

/** What {@link RefreshTokenRepository.create} needs. */
export interface NewRefreshToken {
  id: string;
  sessionId: string;
  /** SHA-256 of the token, 64 lowercase hex characters. */
  tokenHash: string;
  /** The token this one replaces on rotation; null for the first of a session. */
  parentId: string | null;
  expiresAt: Date;
}

/** A tenant's refresh tokens. */
export interface RefreshTokenRepository {
  create(token: NewRefreshToken): Promise<RefreshTokenRow>;
  findByHash(tokenHash: string): Promise<RefreshTokenRow | undefined>;
  findById(id: string): Promise<RefreshTokenRow | undefined>;
  /**
   * Spends the token if nobody has yet (a conditional update). False means another request won
   * the race or it was already spent: reuse, so the caller revokes the session.
   */
  markUsed(id: string, replacedBy: string, successorEncrypted?: string | null): Promise<boolean>;
  /** Forgets the sealed successor of a token (its reuse interval is over or it was rotated on). */
  clearSuccessor(id: string): Promise<void>;
}

/** Builds the refresh-token repository over a tenant's knex handle or transaction. */
export function createRefreshTokenRepository(db: Knex | Knex.Transaction): RefreshTokenRepository {
  const parse = (row: unknown): RefreshTokenRow => refreshTokenSchema.parse(row);
  const first = async (where: Record<string, string>): Promise<RefreshTokenRow | undefined> => {
    const row: unknown = await db('refresh_tokens').where(where).first();
    return row === undefined ? undefined : parse(row);
  };
  return {
    async create(token) {
      assertSha256Hex(token.tokenHash, 'tokenHash');
      const raw = {
        id: token.id,
        session_id: token.sessionId,
        token_hash: token.tokenHash,
        parent_id: token.parentId,
        created_at: new Date(),
        expires_at: token.expiresAt,
        used_at: null,
        replaced_by: null,
        revoked_at: null,
        successor_encrypted: null,
      };
      try {
        await db('refresh_tokens').insert(raw);
      } catch (err) {
        throw mapDbError(err);
      }
      return parse(raw);
    },
    findByHash: (tokenHash) => first({ token_hash: tokenHash }),
    findById: (id) => first({ id }),
    async markUsed(id, replacedBy, successorEncrypted = null) {
      // One statement sets all three, so a request that lost the race and reads the row after
      // the winner committed sees the successor together with `used_at`.
      const count = await db('refresh_tokens').where({ id }).whereNull('used_at').update({
        used_at: new Date(),
        replaced_by: replacedBy,
        successor_encrypted: successorEncrypted,
      });
      return count === 1;
    },
    async clearSuccessor(id) {
      await db('refresh_tokens').where({ id }).update({ successor_encrypted: null });
    },
  };
}
