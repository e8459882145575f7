import type { AuditAction, TenantDb } from '@hellojohn/dal';
import type { RequestMeta } from './request-meta';

/** Auth events written to the tenant's `audit_log`. Never carries passwords or tokens. */
export interface AuthEvent {
  action: AuditAction;
  outcome: 'success' | 'failure' | 'denied';
  /** Who acted: `user:<id>`, `cp-admin:<id>` or `anonymous`. Default: the user, else anonymous. */
  actor?: string;
  userId?: string | null;
  target?: string | null;
  details?: Record<string, unknown>;
}

/** Appends one event to the tenant's audit log, with the request's id and client IP. */
export async function audit(db: TenantDb, meta: RequestMeta, event: AuthEvent): Promise<void> {
  const userId = event.userId ?? null;
  await db.auditLog.insert({
    actor: event.actor ?? (userId ? `user:${userId}` : 'anonymous'),
    action: event.action,
    target: event.target ?? userId,
    outcome: event.outcome,
    details: event.details ?? {},
    userId,
    ip: meta.ip?.slice(0, 45) ?? null,
    requestId: meta.requestId ?? null,
  });
}
