import type { TenantDb } from '@hellojohn/dal';
import { isLiveSession } from '../tokens/live-session';
import { isMarkedRevoked } from '../tenancy/session-revocation-marks';

/**
 * How long a session found live is taken as live without reading it again: the longest a session
 * revoked on ANOTHER replica keeps working on this one when its `session.revoked` event does not
 * arrive sooner (docs/security.md, "Token handling"). On the replica that revoked it, the
 * revocation mark takes effect at once.
 */
const LIVE_SESSION_CACHE_MS = 5_000;

interface Entry {
  userId: string;
  /** The browser (SSO) session it was started from: revoking that one revokes it too. */
  browserSessionId: string | null;
  expiresAt: number;
  /** When the read that found it live started (not when it answered: see the marks). */
  checkedAt: number;
}

/** The session, or the browser session it was started from, was revoked lately. */
function markedRevoked(tenantId: string, id: string, parent: string | null, at: number): boolean {
  return (
    isMarkedRevoked(tenantId, id, at) || (parent !== null && isMarkedRevoked(tenantId, parent, at))
  );
}

export interface LiveSessionCache {
  /** Whether session `sessionId` of `db`'s tenant is live and belongs to `userId`. */
  isLive(db: TenantDb, sessionId: string, userId: string): Promise<boolean>;
}

/**
 * The session check of the bearer guards, cached for {@link LIVE_SESSION_CACHE_MS}: a token's
 * session is read once per few seconds, not once per request. Only live sessions are cached;
 * a session marked revoked (session-revocation-marks.ts) is always read from the database, and a
 * failed read fails the request as before. At most `maxEntries` sessions are kept (the oldest
 * checks go first).
 */
export function createLiveSessionCache(
  options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {},
): LiveSessionCache {
  const ttlMs = options.ttlMs ?? LIVE_SESSION_CACHE_MS;
  const maxEntries = options.maxEntries ?? 100_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();

  return {
    async isLive(db, sessionId, userId) {
      const key = `${db.tenantId}\u0000${sessionId}`;
      const started = now();
      const cached = entries.get(key);
      if (
        cached &&
        started - cached.checkedAt < ttlMs &&
        started < cached.expiresAt &&
        !markedRevoked(db.tenantId, sessionId, cached.browserSessionId, started)
      ) {
        return cached.userId === userId;
      }
      const session = await db.sessions.findById(sessionId);
      if (!isLiveSession(session, new Date(started))) {
        entries.delete(key);
        return false;
      }
      const parent = session.browserSessionId ?? null;
      if (!markedRevoked(db.tenantId, sessionId, parent, started)) {
        entries.delete(key);
        entries.set(key, {
          userId: session.userId,
          browserSessionId: parent,
          expiresAt: session.expiresAt.getTime(),
          checkedAt: started,
        });
        if (entries.size > maxEntries) {
          const oldest = entries.keys().next();
          if (!oldest.done) entries.delete(oldest.value);
        }
      }
      return session.userId === userId;
    },
  };
}
