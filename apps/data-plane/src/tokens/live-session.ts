import type { SessionRow } from '@hellojohn/dal';

/**
 * A session that still stands: not revoked and not past its expiry. The one rule for every place
 * that accepts a session's tokens (the bearer guards, introspection), so a session that ended by
 * time is as dead as one that was revoked.
 */
export function isLiveSession(session: SessionRow | undefined, now: Date): session is SessionRow {
  return session !== undefined && session.revokedAt === null && session.expiresAt > now;
}
