import type { TenantDb } from '@hellojohn/dal';
import { recordSessionsRevoked } from './record-domain-event';

/**
 * Ends every live session of a user (but `exceptId`, e.g. the caller's own on a password change)
 * and records one `session.revoked` per session it ended. Call it on the transaction of the
 * change it belongs to (open one for a bare sign-out-everywhere): the revocations and their
 * events commit together. It opens no transaction of its own, since an event appended in a
 * nested one would wake the relay at its savepoint, before the outer commit. Returns how many.
 *
 * @example
 * await tenant.db.transaction((tx) => revokeUserSessionsRecorded(tx, userId, 'sign_out_all'));
 */
export async function revokeUserSessionsRecorded(
  tx: TenantDb,
  userId: string,
  reason: string,
  exceptId?: string,
): Promise<number> {
  const ids = await tx.sessions.revokeAllForUserListed(userId, reason, exceptId);
  await recordSessionsRevoked(tx, userId, ids, reason);
  return ids.length;
}
