import type { GlobalDb } from '@hellojohn/dal';
import { endpoint } from '@hellojohn/http';
import { AuditPage, AuditQuery } from '../schemas/audit.schemas';
import { listAuditLog } from '../services/audit';

export function auditLogRoutes(db: GlobalDb) {
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
        return listAuditLog(db, query);
      },
    ),
  };
}
