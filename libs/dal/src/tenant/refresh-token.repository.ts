import type { Knex } from 'knex';
import { z } from 'zod';
import { driverOf } from '../connect';
import { mapDbError } from '../db-errors';
import { dbDate, dbDateOrNull } from '../internal/columns';
import { assertSha256Hex } from '../internal/sha256-hex';
import { parseSessionRow, type SessionRow } from './session.repository';

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

/** What {@link RefreshTokenRepository.rotate} does, in one atomic step. */
export interface RefreshTokenRotation {
  /** The token spent: it must still be unspent, else nothing at all changes. */
  presentedId: string;
  /** The presented token's parent, whose sealed copy of it is forgotten; null: none. */
  parentId: string | null;
  /** The successor inserted (its parent is `presentedId`; its session is the one touched). */
  successor: Omit<NewRefreshToken, 'parentId'>;
  /** The successor's plaintext sealed for the reuse interval, kept on the spent row; or null. */
  successorEncrypted: string | null;
  /** The session's last use. */
  now: Date;
  /** The session's new expiry (sliding sessions); undefined: unchanged. */
  sessionExpiresAt?: Date | undefined;
}

/** A tenant's refresh tokens. */
export interface RefreshTokenRepository {
  create(token: NewRefreshToken): Promise<RefreshTokenRow>;
  findByHash(tokenHash: string): Promise<RefreshTokenRow | undefined>;
  findById(id: string): Promise<RefreshTokenRow | undefined>;
  /**
   * The token of `tokenHash` and its session, read together in one statement (the refresh path
   * needs both); undefined when no token has the hash.
   */
  findWithSession(
    tokenHash: string,
  ): Promise<{ token: RefreshTokenRow; session: SessionRow } | undefined>;
  /**
   * Spends the token if nobody has yet (a conditional update). False means another request won
   * the race or it was already spent: reuse, so the caller revokes the session.
   */
  markUsed(id: string, replacedBy: string, successorEncrypted?: string | null): Promise<boolean>;
  /** Forgets the sealed successor of a token (its reuse interval is over or it was rotated on). */
  clearSuccessor(id: string): Promise<void>;
  /**
   * Spends the presented token for its successor: `markUsed`, the successor's insert, the
   * parent's `clearSuccessor` and the session's touch, all or nothing. False (and nothing
   * changed) when the presented token was already spent: of two racing rotations exactly one
   * wins, and the other is the caller's reuse case. On PostgreSQL one statement (data-modifying
   * CTEs, no transaction round trips); elsewhere one transaction (nested when `db` is one).
   */
  rotate(rotation: RefreshTokenRotation): Promise<boolean>;
}

/** `refresh_tokens` columns, aliased `rt_<name>` in the join with `sessions`. */
const TOKEN_COLUMNS = [
  'id',
  'session_id',
  'token_hash',
  'parent_id',
  'created_at',
  'expires_at',
  'used_at',
  'replaced_by',
  'revoked_at',
  'successor_encrypted',
] as const;

/** The successor's row as stored; shared by `create` and `rotate`. */
function newTokenRow(token: NewRefreshToken) {
  assertSha256Hex(token.tokenHash, 'tokenHash');
  return {
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
}

/**
 * PostgreSQL's rotation in one statement: every CTE sees one snapshot and the statement is atomic,
 * so the insert, the parent's clearing and the touch happen only when `spent` updated a row (the
 * row lock makes a racing rotation wait, then find `used_at` set and update nothing).
 */
const PG_ROTATE = `
with spent as (
  update refresh_tokens set used_at = ?::timestamptz, replaced_by = ?, successor_encrypted = ?
  where id = ? and used_at is null
  returning id
), successor as (
  insert into refresh_tokens (id, session_id, token_hash, parent_id, created_at, expires_at)
  select ?, ?, ?, spent.id, ?::timestamptz, ?::timestamptz from spent
  returning id
), parent as (
  update refresh_tokens set successor_encrypted = null
  where id = ? and exists (select 1 from spent)
), touched as (
  update sessions set last_used_at = ?::timestamptz, expires_at = coalesce(?::timestamptz, expires_at)
  where id = ? and revoked_at is null and exists (select 1 from spent)
)
select count(*)::int as spent from successor`;

/** Builds the refresh-token repository over a tenant's knex handle or transaction. */
export function createRefreshTokenRepository(db: Knex | Knex.Transaction): RefreshTokenRepository {
  const parse = (row: unknown): RefreshTokenRow => refreshTokenSchema.parse(row);
  const first = async (where: Record<string, string>): Promise<RefreshTokenRow | undefined> => {
    const row: unknown = await db('refresh_tokens').where(where).first();
    return row === undefined ? undefined : parse(row);
  };
  return {
    async create(token) {
      const raw = newTokenRow(token);
      try {
        await db('refresh_tokens').insert(raw);
      } catch (err) {
        throw mapDbError(err);
      }
      return parse(raw);
    },
    findByHash: (tokenHash) => first({ token_hash: tokenHash }),
    findById: (id) => first({ id }),
    async findWithSession(tokenHash) {
      const found: unknown = await db('refresh_tokens as rt')
        .join('sessions as s', 's.id', 'rt.session_id')
        .where('rt.token_hash', tokenHash)
        .first(['s.*', ...TOKEN_COLUMNS.map((column) => `rt.${column} as rt_${column}`)]);
      if (found === undefined) return undefined;
      const row = found as Record<string, unknown>;
      const token: Record<string, unknown> = {};
      for (const column of TOKEN_COLUMNS) token[column] = row[`rt_${column}`];
      return { token: parse(token), session: parseSessionRow(row) };
    },
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
    async rotate(rotation) {
      const { successor, now } = rotation;
      const raw = newTokenRow({ ...successor, parentId: rotation.presentedId });
      try {
        if (driverOf(db) === 'pg') {
          const result: { rows: Array<{ spent: number }> } = await db.raw(PG_ROTATE, [
            now,
            raw.id,
            rotation.successorEncrypted,
            rotation.presentedId,
            raw.id,
            raw.session_id,
            raw.token_hash,
            raw.created_at,
            raw.expires_at,
            rotation.parentId,
            now,
            rotation.sessionExpiresAt ?? null,
            raw.session_id,
          ]);
          return result.rows[0]?.spent === 1;
        }
        // No RETURNING-free single statement elsewhere (MySQL has no data-modifying CTEs, SQLite
        // no DML in CTEs): the same four writes in one transaction.
        return await db.transaction(async (tx) => {
          const spent = await tx('refresh_tokens')
            .where({ id: rotation.presentedId })
            .whereNull('used_at')
            .update({
              used_at: now,
              replaced_by: raw.id,
              successor_encrypted: rotation.successorEncrypted,
            });
          if (spent !== 1) return false;
          await tx('refresh_tokens').insert(raw);
          if (rotation.parentId !== null) {
            await tx('refresh_tokens')
              .where({ id: rotation.parentId })
              .update({ successor_encrypted: null });
          }
          const touch: Record<string, Date> = { last_used_at: now };
          if (rotation.sessionExpiresAt !== undefined) {
            touch['expires_at'] = rotation.sessionExpiresAt;
          }
          await tx('sessions').where({ id: raw.session_id }).whereNull('revoked_at').update(touch);
          return true;
        });
      } catch (err) {
        throw mapDbError(err);
      }
    },
  };
}
