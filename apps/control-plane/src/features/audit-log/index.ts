import type { AuditLogRepository } from '@hellojohn/dal';
import { auditLogRoutes } from './audit-log.routes';
import { createAuditLogService, type AuditLogService } from './audit-log.service';

/** The audit log's read side (`GET /v1/audit-log`); writes are recorded by `audit/`. */
export interface AuditLogModule {
  service: AuditLogService;
  routes: ReturnType<typeof auditLogRoutes>;
}

export function createAuditLogModule(deps: { auditLog: AuditLogRepository }): AuditLogModule {
  const service = createAuditLogService(deps);
  return { service, routes: auditLogRoutes(service) };
}
