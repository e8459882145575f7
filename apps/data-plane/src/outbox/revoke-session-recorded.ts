import type { TenantDb } from '@hellojohn/dal';
import { recordDomainEvent } from './record-domain-event';

/**
 * Revokes one session and records `session.revoked` in the same transaction, only when this call
 * ended it (a session already revoked emits nothing twice). Returns whether it did.
 */
export function revokeSessionRecorded(
  db: TenantDb,
  session: { id: string; userId: string },
  reason: string,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const revoked = await tx.sessions.revoke(session.id, reason);
    if (revoked) {
      await recordDomainEvent(tx, 'session.revoked', {
        user_id: session.userId,
        session_id: session.id,
        reason,
      });
    }
    return revoked;
  });
}
