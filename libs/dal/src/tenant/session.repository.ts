import type { Knex } from 'knex';
import { z } from 'zod';
import { driverOf } from '../connect';
import { mapDbError } from '../db-errors';
import { dbDate, dbDateOrNull, dbJsonStrings, toJson } from '../internal/columns';
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
    browser_handle_hash: z.string().nullable(),
    browser_session_id: z.string().nullable(),
    auth_time: dbDateOrNull,
    amr: dbJsonStrings.nullable(),
    acr: z.string().nullable(),
    client_id: z.string().nullable(),
    scope: z.string().nullable(),
    organization_id: z.string().nullable().optional(),
    resource: z.string().nullable().optional(),
  })
  .transform((r) => ({
    id: r.id,
    userId: r.user_id,
    /** `browser`: the hosted login's SSO cookie session; `token`: refresh and access tokens'. */
    kind: r.browser_handle_hash === null ? ('token' as const) : ('browser' as const),
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    revokeReason: r.revoke_reason,
    userAgent: r.user_agent,
    ip: r.ip,
    /** OIDC `auth_time`: the user's last authentication (`createdAt` for older sessions). */
    authTime: r.auth_time ?? r.created_at,
    /** Authentication methods (RFC 8176), e.g. `["pwd", "otp"]`; empty when not recorded. */
    amr: r.amr ?? [],
    acr: r.acr,
    /** The browser session this one was started from (an authorization code's), if any. */
    browserSessionId: r.browser_session_id,
    /** The OAuth client the session's tokens are bound to; null for first-party sessions. */
    clientId: r.client_id,
    /** The scope granted to that client (space-separated); null for first-party sessions. */
    scope: r.scope,
    /** The active organization (`POST /v1/auth/refresh` with `organization_id`); null: none. */
    organizationId: r.organization_id ?? null,
    /** The API resource (RFC 8707) the client's access tokens are for; null: the tenant's audience. */
    resource: r.resource ?? null,
  }));

/** Reads a `sessions` row (shared with the browser-session repository). */
export function parseSessionRow(row: unknown): SessionRow {
  return sessionSchema.parse(row);
}

/**
 * A sign-in session: refresh tokens hang off it and access tokens name it (`sid`). A `browser`
 * session is the hosted login's SSO cookie (the tenant handle's `browserSessions`); revoking it
 * revokes the sessions started from it.
 */
export type SessionRow = z.output<typeof sessionSchema>;

/** What {@link SessionRepository.create} needs; the OAuth fields are for a client's session. */
export interface NewSession {
  id: string;
  userId: string;
  expiresAt: Date;
  userAgent: string | null;
  ip: string | null;
  /** Default: now (the user just authenticated). */
  authTime?: Date;
  amr?: readonly string[] | null;
  acr?: string | null;
  /**
   * The browser session the tokens come from (the authorization code's `sessionId`): revoking it
   * revokes this session too. Leave it null for a session that should outlive the browser's.
   */
  browserSessionId?: string | null;
  /** The client the tokens are issued to; a refresh by any other client must fail. */
  clientId?: string | null;
  /** The scope granted (space-separated); a refresh may narrow it, never widen it. */
  scope?: string | null;
  /** The API resource the client's access tokens are for (RFC 8707); null: the tenant's audience. */
  resource?: string | null;
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
  /**
   * Revokes the session and, when it is a browser session, every live session started from it
   * (`browserSessionId`). False when the session was unknown or already revoked.
   */
  revoke(id: string, reason: string): Promise<boolean>;
  /** Sets the session's active organization (null: none); false when the session is unknown. */
  setOrganization(id: string, organizationId: string | null): Promise<boolean>;
  /**
   * Revokes every live (unrevoked, unexpired) session of the user, browser sessions included,
   * except `exceptId`, and returns the ids it revoked: one `session.revoked` event each. Runs in
   * a transaction of its own (nested when `db` is one); a session revoked concurrently by another
   * request is in exactly one of the two answers.
   */
  revokeAllForUserListed(userId: string, reason: string, exceptId?: string): Promise<string[]>;
  /**
   * Revokes the user's live sessions bound to one OAuth client (e.g. when the user withdraws the
   * client's consent) and returns the ids it revoked, as `revokeAllForUserListed` does.
   */
  revokeForClientListed(userId: string, clientId: string, reason: string): Promise<string[]>;
  /**
   * Whether the user has more than `count` live sessions (browser sessions included): one cheap
   * read, so a sign-in under the session cap skips the cap's locking transaction.
   */
  hasActiveBeyond(userId: string, count: number): Promise<boolean>;
  /** Unrevoked, unexpired sessions (browser sessions included), most recently used first. */
  listActiveForUser(userId: string): Promise<SessionRow[]>;
  /**
   * `listActiveForUser` a page at a time, keyset on (last_used_at, id). A session used while the
   * caller pages moves to the front, so a later page may miss it (it is live, not lost).
   */
  pageActiveForUser(userId: string, request: PageRequest): Promise<Page<SessionRow>>;
  /**
   * Keeps the user's `keep` most recently used live sessions (`alwaysKeep`, e.g. the one just
   * started, among them), revokes the others with `reason` and returns the ids it revoked (in a
   * transaction of its own).
   */
  revokeLeastRecentlyUsedListed(
    userId: string,
    options: { keep: number; reason: string; alwaysKeep?: string },
  ): Promise<string[]>;
}

const USER_AGENT_MAX = 512;

/** The stored form of a User-Agent header: at most 512 characters. */
function truncateUserAgent(userAgent: string | null): string | null {
  return userAgent?.slice(0, USER_AGENT_MAX) ?? null;
}

/**
 * Revokes a session and the live sessions started from it (`browser_session_id`). Two statements:
 * a session started from it after the second one (a code redeemed in that instant) stays live,
 * so the token endpoint checks the browser session is live when it redeems a code.
 */
export async function revokeSession(
  db: Knex | Knex.Transaction,
  id: string,
  reason: string,
): Promise<boolean> {
  const change = { revoked_at: new Date(), revoke_reason: reason };
  const count = await db('sessions').where({ id }).whereNull('revoked_at').update(change);
  if (count === 0) return false;
  await db('sessions').where({ browser_session_id: id }).whereNull('revoked_at').update(change);
  return true;
}

/**
 * Inserts one `sessions` row; `browserHandleHash` makes it a browser (SSO) session. Shared with
 * the browser-session repository, since both kinds are rows of the one table.
 */
export async function insertSession(
  db: Knex | Knex.Transaction,
  session: NewSession,
  browserHandleHash: string | null,
): Promise<SessionRow> {
  const now = new Date();
  const raw = {
    id: session.id,
    user_id: session.userId,
    created_at: now,
    last_used_at: now,
    expires_at: session.expiresAt,
    revoked_at: null,
    revoke_reason: null,
    user_agent: truncateUserAgent(session.userAgent),
    ip: session.ip,
    browser_handle_hash: browserHandleHash,
    browser_session_id: session.browserSessionId ?? null,
    auth_time: session.authTime ?? now,
    amr: session.amr ? toJson(session.amr) : null,
    acr: session.acr ?? null,
    client_id: session.clientId ?? null,
    scope: session.scope ?? null,
    resource: session.resource ?? null,
  };
  try {
    await db('sessions').insert(raw);
  } catch (err) {
    throw mapDbError(err);
  }
  return parseSessionRow(raw);
}

/** Ids per `whereIn`: far below every driver's bound-parameter limit (SQLite's is the lowest). */
const ID_BATCH = 500;

/**
 * Revokes the live sessions `select` narrows down and returns their ids. No `RETURNING` (MySQL
 * has none): the ids are read with a locking read (SQLite runs one writer at a time and has no
 * such read), then updated by id, in one transaction, so a concurrent revocation waits and is not
 * listed twice.
 */
function revokeListed(
  db: Knex | Knex.Transaction,
  select: (query: Knex.QueryBuilder) => void,
  reason: string,
): Promise<string[]> {
  return db.transaction(async (trx) => {
    const now = new Date();
    const query = trx('sessions').whereNull('revoked_at').where('expires_at', '>', now);
    select(query);
    const locked = driverOf(trx) === 'sqlite' ? query : query.forUpdate();
    const ids = z.array(z.string()).parse(await locked.orderBy('id').pluck('id'));
    for (let i = 0; i < ids.length; i += ID_BATCH) {
      await trx('sessions')
        .whereIn('id', ids.slice(i, i + ID_BATCH))
        .whereNull('revoked_at')
        .update({ revoked_at: now, revoke_reason: reason });
    }
    return ids;
  });
}

/** Builds the session repository over a tenant's knex handle or transaction. */
export function createSessionRepository(
  db: Knex | Knex.Transaction,
  cursors: CursorCodec,
): SessionRepository {
  const parse = parseSessionRow;
  const active = (userId: string, now: Date) =>
    db('sessions').where({ user_id: userId }).whereNull('revoked_at').where('expires_at', '>', now);
  /** The user's `keep` most recently used live sessions, `alwaysKeep` among them. */
  async function mostRecentlyUsed(
    userId: string,
    now: Date,
    { keep, alwaysKeep }: { keep: number; alwaysKeep?: string },
  ): Promise<string[]> {
    if (!Number.isInteger(keep) || keep < 1) {
      throw new RangeError(`keep must be a positive integer, got ${String(keep)}`);
    }
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
    return kept;
  }
  return {
    create: (session) => insertSession(db, session, null),
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
    revoke: (id, reason) => revokeSession(db, id, reason),
    async setOrganization(id, organizationId) {
      return (await db('sessions').where({ id }).update({ organization_id: organizationId })) > 0;
    },
    revokeAllForUserListed(userId, reason, exceptId) {
      return revokeListed(
        db,
        (query) => {
          void query.where({ user_id: userId });
          if (exceptId !== undefined) void query.whereNot({ id: exceptId });
        },
        reason,
      );
    },
    revokeForClientListed(userId, clientId, reason) {
      return revokeListed(
        db,
        (query) => void query.where({ user_id: userId, client_id: clientId }),
        reason,
      );
    },
    async hasActiveBeyond(userId, count) {
      if (!Number.isInteger(count) || count < 0) {
        throw new RangeError(`count must be a non-negative integer, got ${String(count)}`);
      }
      const beyond: unknown = await active(userId, new Date())
        .orderBy('id')
        .offset(count)
        .first('id');
      return beyond !== undefined;
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
    async revokeLeastRecentlyUsedListed(userId, options) {
      const kept = await mostRecentlyUsed(userId, new Date(), options);
      // The kept ids (at most `keep`) bound the locked read, however many sessions are revoked.
      return revokeListed(
        db,
        (query) => void query.where({ user_id: userId }).whereNotIn('id', kept),
        options.reason,
      );
    },
  };
}
