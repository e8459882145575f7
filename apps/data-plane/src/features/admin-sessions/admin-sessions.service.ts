import type { Page, PageRequest, SessionRow } from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';
import { audit } from '../../audit/audit';
import type { RequestMeta } from '../../audit/request-meta';
import type { AdminActor } from '../../guards/require-cp-admin';
import type { TenantContext } from '../../tenancy/tenant-context';
import { revokeSessionRecorded } from '../../outbox';
import type { SessionsModule } from '../sessions';

/** The revocation reason `session.revoked` carries for these. */
const ADMIN_REVOKED = 'admin_revoked';

/** A user's sessions, for tenant admins: listed as the user lists them, ended one at a time. */
export interface AdminSessionService {
  /** The user's live sessions, most recently used first; `user_not_found` for an unknown user. */
  list(tenant: TenantContext, userId: string, request: PageRequest): Promise<Page<SessionRow>>;
  /**
   * Ends one live session of the user as their own `DELETE /v1/sessions/{id}` does (the same
   * `session.revoked` event), audited under the admin. Another user's, an ended or an unknown
   * session is `session_not_found`.
   */
  revoke(
    tenant: TenantContext,
    actor: AdminActor,
    userId: string,
    sessionId: string,
    meta: RequestMeta,
  ): Promise<void>;
}

export function createAdminSessionService(deps: {
  sessions: SessionsModule['service'];
}): AdminSessionService {
  async function requireUser(tenant: TenantContext, userId: string): Promise<void> {
    if (!(await tenant.db.users.findById(userId))) throw new AppError('user_not_found');
  }

  return {
    async list(tenant, userId, request) {
      await requireUser(tenant, userId);
      return deps.sessions.listActive(tenant, userId, request);
    },

    async revoke(tenant, actor, userId, sessionId, meta) {
      await requireUser(tenant, userId);
      const session = await tenant.db.sessions.findById(sessionId);
      if (!session || session.userId !== userId || session.revokedAt) {
        throw new AppError('session_not_found');
      }
      // False when a concurrent sign-out ended it first: it is ended either way.
      await revokeSessionRecorded(tenant.db, session, ADMIN_REVOKED);
      await audit(tenant.db, meta, {
        action: 'session.revoked',
        outcome: 'success',
        actor: `cp-admin:${actor.adminId}`,
        userId,
        details: { session_id: session.id, reason: ADMIN_REVOKED },
      });
    },
  };
}
