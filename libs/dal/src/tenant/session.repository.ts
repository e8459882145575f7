import type { Knex } from 'knex';
import { z } from 'zod';
import { mapDbError } from '../db-errors';
import { dbDate, dbDateOrNull } from '../internal/columns';
import type { CursorCodec, Page, PageRequest } from '../internal/keyset';
import { keysetPage } from '../internal/keyset';

const sessionSchema = z
  .object({
    id: z.string(),
    user_id: z.string(),
    created_at: dbDate,
    last_used_at: dbDate,
    expires_at: dbDate,
    revoked_at: dbDateOrNull,
    revoke_reason: z.string().nullable(),
    user_agent: z.string().nullable(),
    ip: z.string().nullable(),
  })
  .transform((r) => ({
    id: r.id,
    userId: r.user_id,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    revokeReason: r.revoke_reason,
    userAgent: r.user_agent,
    ip: r.ip,
  }));

/** A sign-in session; refresh tokens hang off it. */
export type SessionRow = z.output<typeof sessionSchema>;

/** What {@link SessionRepository.create} needs. */
export interface NewSession {
  id: string;
  userId: string;
  expiresAt: Date;
  userAgent: string | null;
  ip: string | null;
}

/** A tenant's sessions. */
export interface SessionRepository {
  create(session: NewSession): Promise<SessionRow>;
  findById(id: string): Promise<SessionRow | undefined>;
  /**
   * Records use, and moves the expiry to `expiresAt` when given (sliding sessions); false when
   * the session is unknown or revoked.
   */
  touch(id: string, now: Date, expiresAt?: Date): Promise<boolean>;
  /** False when the session was unknown or already revoked. */
  revoke(id: string, reason: string): Promise<boolean>;
  /** Revokes every live session of the user except `exceptId`; returns how many. */
  revokeAllForUser(userId: string, reason: string, exceptId?: string): Promise<number>;
  /** Unrevoked, unexpired sessions, most recently used first. */
  listActiveForUser(userId: string): Promise<SessionRow[]>;
  /**
   * `listActiveForUser` a page at a time, keyset on (last_used_at, id). A session used while the
   * caller pages moves to the front, so a later page may miss it (it is live, not lost).
   */
  pageActiveForUser(userId: string, request: PageRequest): Promise<Page<SessionRow>>;
  /**
   * Keeps the user's `keep` most recently used live sessions (`alwaysKeep`, e.g. the one just
   * started, among them) and revokes the others with `reason`; returns how many it revoked.
   */
  revokeLeastRecentlyUsed(
    userId: string,
    options: { keep: number; reason: string; alwaysKeep?: string },
  ): Promise<number>;
}

const USER_AGENT_MAX = 512;

/** Builds the session repository over a tenant's knex handle or transaction. */
export function createSessionRepository(
  db: Knex | Knex.Transaction,
  cursors: CursorCodec,
): SessionRepository {
  const parse = (row: unknown): SessionRow => sessionSchema.parse(row);
  const active = (userId: string, now: Date) =>
    db('sessions').where({ user_id: userId }).whereNull('revoked_at').where('expires_at', '>', now);
  return {
    async create(session) {
      const now = new Date();
      const raw = {
        id: session.id,
        user_id: session.userId,
        created_at: now,
        last_used_at: now,
        expires_at: session.expiresAt,
        revoked_at: null,
        revoke_reason: null,
        user_agent: session.userAgent?.slice(0, USER_AGENT_MAX) ?? null,
        ip: session.ip,
      };
      try {
        await db('sessions').insert(raw);
      } catch (err) {
        throw mapDbError(err);
      }
      return parse(raw);
    },
    async findById(id) {
      const row: unknown = await db('sessions').where({ id }).first();
      return row === undefined ? undefined : parse(row);
    },
    async touch(id, now, expiresAt) {
      const changes: Record<string, Date> = { last_used_at: now };
      if (expiresAt !== undefined) changes['expires_at'] = expiresAt;
      const count = await db('sessions').where({ id }).whereNull('revoked_at').update(changes);
      return count > 0;
    },
    async revoke(id, reason) {
      const count = await db('sessions')
        .where({ id })
        .whereNull('revoked_at')
        .update({ revoked_at: new Date(), revoke_reason: reason });
      return count > 0;
    },
    revokeAllForUser(userId, reason, exceptId) {
      const query = db('sessions').where({ user_id: userId }).whereNull('revoked_at');
      if (exceptId !== undefined) void query.whereNot({ id: exceptId });
      return query.update({ revoked_at: new Date(), revoke_reason: reason });
    },
    async listActiveForUser(userId) {
      const rows = (await active(userId, new Date()).orderBy([
        { column: 'last_used_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])) as unknown[];
      return rows.map(parse);
    },
    pageActiveForUser(userId, request) {
      return keysetPage(active(userId, new Date()).select('*'), request, parse, {
        cursors,
        order: 'desc',
        by: { column: 'last_used_at', value: (row) => row.lastUsedAt },
      });
    },
    async revokeLeastRecentlyUsed(userId, { keep, reason, alwaysKeep }) {
      if (!Number.isInteger(keep) || keep < 1) {
        throw new RangeError(`keep must be a positive integer, got ${String(keep)}`);
      }
      const now = new Date();
      const kept = alwaysKeep === undefined ? [] : [alwaysKeep];
      if (kept.length < keep) {
        const others = active(userId, now);
        if (alwaysKeep !== undefined) void others.whereNot({ id: alwaysKeep });
        const ids = (await others
          .orderBy([
            { column: 'last_used_at', order: 'desc' },
            { column: 'id', order: 'desc' },
          ])
          .limit(keep - kept.length)
          .pluck('id')) as string[];
        kept.push(...ids);
      }
      // The kept ids (at most `keep`) bound the statement, however many sessions are revoked.
      return active(userId, now)
        .whereNotIn('id', kept)
        .update({ revoked_at: now, revoke_reason: reason });
    },
  };
}
