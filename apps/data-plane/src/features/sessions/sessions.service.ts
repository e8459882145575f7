import { InvalidCursorError, type Page, type PageRequest, type SessionRow } from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';
import { audit } from '../../audit/audit';
import type { RequestMeta } from '../../audit/request-meta';
import type { TenantContext } from '../../tenancy/tenant-context';
import { revokeSessionRecorded } from '../../outbox';

/** A user's own sessions. */
export interface SessionService {
  /** The user's live sessions, most recently used first, a page at a time. */
  listActive(
    tenant: TenantContext,
    userId: string,
    request: PageRequest,
  ): Promise<Page<SessionRow>>;
  /** Revokes one of the user's live sessions; another user's or an ended one -> 404. */
  revoke(
    tenant: TenantContext,
    userId: string,
    sessionId: string,
    meta: RequestMeta,
  ): Promise<void>;
}

export function createSessionService(): SessionService {
  return {
    async listActive(tenant, userId, request) {
      try {
        return await tenant.db.sessions.pageActiveForUser(userId, request);
      } catch (error) {
        if (error instanceof InvalidCursorError) throw new AppError('invalid_cursor');
        throw error;
      }
    },

    async revoke(tenant, userId, sessionId, meta) {
      const session = await tenant.db.sessions.findById(sessionId);
      // The same 404 for "not yours" and "no such session": ids of others do not leak.
      if (!session || session.userId !== userId || session.revokedAt) {
        throw new AppError('session_not_found');
      }
      await revokeSessionRecorded(tenant.db, session, 'session_deleted');
      await audit(tenant.db, meta, {
        action: 'session.revoked',
        outcome: 'success',
        userId,
        details: { session_id: session.id },
      });
    },
  };
}
