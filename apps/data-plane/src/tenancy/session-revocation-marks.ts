/**
 * Sessions this process saw revoked lately: the local half of the session cache's invalidation
 * (guards/live-session-cache.ts). Every revocation, whatever the path (sign-out, refresh-token reuse, a
 * disabled or deleted user, an admin, consent withdrawal), records `session.revoked` through the
 * outbox's `recordDomainEvent`, which marks the session here at once; the cache-invalidation
 * consumer marks those other replicas revoked when their events arrive. Process-wide on purpose:
 * the writers hold no reference to the guards' caches, and marking every cache of the process is
 * only ever safe.
 *
 * A mark lasts {@link MARK_MS}: while it stands the session cache does not answer for the session,
 * so the database decides. The mark is set before the revoking transaction commits; a check that
 * reads the session in between still sees it live and may pass (the revocation has not
 * happened yet), but is not cached. Marks outlive the cache's entries by far, so an entry read
 * before the commit is always dropped before the mark is.
 */
const MARK_MS = 60_000;

const marks = new Map<string, number>();

const keyOf = (tenantId: string, sessionId: string): string => `${tenantId}\u0000${sessionId}`;

/** Notes that `sessionId` of `tenantId` is being revoked (call it with the revocation). */
export function markSessionRevoked(tenantId: string, sessionId: string, now = Date.now()): void {
  const key = keyOf(tenantId, sessionId);
  marks.delete(key);
  marks.set(key, now + MARK_MS);
  // Insertion order is expiry order: drop the expired marks from the front.
  for (const [each, until] of marks) {
    if (until > now) break;
    marks.delete(each);
  }
}

/** Whether `sessionId` of `tenantId` was marked revoked within the last {@link MARK_MS}. */
export function isMarkedRevoked(tenantId: string, sessionId: string, now = Date.now()): boolean {
  const until = marks.get(keyOf(tenantId, sessionId));
  return until !== undefined && until > now;
}
