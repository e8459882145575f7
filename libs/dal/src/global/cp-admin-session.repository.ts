import type { Knex } from 'knex';
import { z } from 'zod';
import { mapDbError } from '../db-errors';
import { dbDate, dbDateOrNull } from '../internal/columns';

const sessionSchema = z
  .object({
    id: z.string(),
    admin_id: z.string(),
    created_at: dbDate,
    expires_at: dbDate,
    revoked_at: dbDateOrNull,
  })
  .transform((r) => ({
    id: r.id,
    adminId: r.admin_id,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
  }));

const refreshSchema = z
  .object({
    id: z.string(),
    session_id: z.string(),
    token_hash: z.string(),
    created_at: dbDate,
    used_at: dbDateOrNull,
  })
  .transform((r) => ({
    id: r.id,
    sessionId: r.session_id,
    tokenHash: r.token_hash,
    createdAt: r.created_at,
    usedAt: r.used_at,
  }));

const revocationSchema = z
  .object({
    admin_id: z.string(),
    session_id: z.string().nullable(),
    revoked_at: dbDate,
  })
  .transform((r) => ({ adminId: r.admin_id, sessionId: r.session_id, revokedAt: r.revoked_at }));

/** A CP admin's signed-in session. */
export type AdminSessionRow = z.output<typeof sessionSchema>;
/** One refresh token of an admin session (stored as SHA-256 hex). */
export type AdminRefreshTokenRow = z.output<typeof refreshSchema>;
/** A recorded revocation: every token of the admin (or of one session) issued before `revokedAt`. */
export type AdminRevocationRow = z.output<typeof revocationSchema>;

/** Admin sessions, their refresh tokens, and the recent revocations of admins' tokens. */
export interface AdminSessionRepository {
  createSession(session: { id: string; adminId: string; expiresAt: Date }): Promise<void>;
  findSession(id: string): Promise<AdminSessionRow | undefined>;
  /** Revokes one session (if live); true when it was. */
  revokeSession(id: string, at: Date): Promise<boolean>;
  /** Revokes every live session of an admin; returns their ids. */
  revokeSessionsOf(adminId: string, at: Date): Promise<string[]>;
  addRefreshToken(token: { id: string; sessionId: string; tokenHash: string }): Promise<void>;
  findRefreshToken(tokenHash: string): Promise<AdminRefreshTokenRow | undefined>;
  /** Spends a refresh token; false when another request spent it first. */
  spendRefreshToken(id: string, at: Date): Promise<boolean>;
  addRevocation(revocation: {
    id: string;
    adminId: string;
    sessionId: string | null;
    revokedAt: Date;
  }): Promise<void>;
  /** Revocations at or after `since` (oldest first, at most `limit`). */
  listRevocations(since: Date, limit: number): Promise<AdminRevocationRow[]>;
  /** Deletes revocations older than `before` (no token issued before it is still valid). */
  purgeRevocations(before: Date): Promise<number>;
}

/** Builds the admin-session repository over a knex handle or transaction. */
export function createAdminSessionRepository(db: Knex | Knex.Transaction): AdminSessionRepository {
  return {
    async createSession(session) {
      try {
        await db('cp_admin_sessions').insert({
          id: session.id,
          admin_id: session.adminId,
          created_at: new Date(),
          expires_at: session.expiresAt,
          revoked_at: null,
        });
      } catch (err) {
        throw mapDbError(err);
      }
    },
    async findSession(id) {
      const row: unknown = await db('cp_admin_sessions').where({ id }).first();
      return row === undefined ? undefined : sessionSchema.parse(row);
    },
    async revokeSession(id, at) {
      const count = await db('cp_admin_sessions')
        .where({ id })
        .whereNull('revoked_at')
        .update({ revoked_at: at });
      return count > 0;
    },
    async revokeSessionsOf(adminId, at) {
      const rows: unknown[] = await db('cp_admin_sessions')
        .where({ admin_id: adminId })
        .whereNull('revoked_at')
        .select('id');
      const ids = rows.map((row) => z.object({ id: z.string() }).parse(row).id);
      if (ids.length > 0) {
        await db('cp_admin_sessions')
          .where({ admin_id: adminId })
          .whereNull('revoked_at')
          .update({ revoked_at: at });
      }
      return ids;
    },
    async addRefreshToken(token) {
      try {
        await db('cp_admin_refresh_tokens').insert({
          id: token.id,
          session_id: token.sessionId,
          token_hash: token.tokenHash,
          created_at: new Date(),
          used_at: null,
        });
      } catch (err) {
        throw mapDbError(err);
      }
    },
    async findRefreshToken(tokenHash) {
      const row: unknown = await db('cp_admin_refresh_tokens')
        .where({ token_hash: tokenHash })
        .first();
      return row === undefined ? undefined : refreshSchema.parse(row);
    },
    async spendRefreshToken(id, at) {
      const count = await db('cp_admin_refresh_tokens')
        .where({ id })
        .whereNull('used_at')
        .update({ used_at: at });
      return count > 0;
    },
    async addRevocation(revocation) {
      await db('cp_admin_revocations').insert({
        id: revocation.id,
        admin_id: revocation.adminId,
        session_id: revocation.sessionId,
        revoked_at: revocation.revokedAt,
      });
    },
    async listRevocations(since, limit) {
      const rows = (await db('cp_admin_revocations')
        .where('revoked_at', '>=', since)
        .orderBy('revoked_at', 'asc')
        .limit(limit)
        .select('admin_id', 'session_id', 'revoked_at')) as unknown[];
      return rows.map((row) => revocationSchema.parse(row));
    },
    async purgeRevocations(before) {
      return db('cp_admin_revocations').where('revoked_at', '<', before).delete();
    },
  };
}
