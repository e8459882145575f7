import { randomUUID } from 'node:crypto';
import type { GlobalDb } from '@hellojohn/dal';
import { createEvent, PLATFORM_TENANT_ID } from '@hellojohn/events';

/**
 * Voids the admin's access tokens issued up to `at` (or only those of `sessionId`) on both planes:
 * a row the data plane reloads at start, and an `admin.revoked` event its replicas apply within
 * moments. Call it in the transaction `tx` of the change that warrants it; the control plane
 * itself checks the admin and session on every request, so it needs neither.
 */
export async function revokeAdminTokens(
  tx: GlobalDb,
  adminId: string,
  sessionId: string | null,
  at: Date,
): Promise<void> {
  await tx.adminSessions.addRevocation({ id: randomUUID(), adminId, sessionId, revokedAt: at });
  const event = createEvent('admin.revoked', PLATFORM_TENANT_ID, {
    admin_id: adminId,
    ...(sessionId === null ? {} : { session_id: sessionId }),
    revoked_at: at.toISOString(),
  });
  await tx.outbox.add({ id: event.id, type: event.type, tenantId: null, payload: event });
}
