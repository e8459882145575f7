import { endpoint } from '@hellojohn/http';
import { AuditPage, AuditQuery } from './audit-log.schemas';
import type { AuditLogService } from './audit-log.service';

export function auditLogRoutes(auditLog: AuditLogService) {
  return {
    list: endpoint(
      {
        summary: 'Read the audit log, newest first, filtered by actor, action or target',
        tags: ['audit'],
        query: AuditQuery,
        response: AuditPage,
        errors: ['invalid_cursor'],
      },
      async function readAuditLog({ query }) {
        return auditLog.list(query);
      },
    ),
  };
}
