import type { AuditLogRepository } from '@hellojohn/dal';
import type { z } from 'zod';
import { fetchPage } from '../../shared/fetch-page';
import type { AuditPage, AuditQuery } from './audit-log.schemas';

type AuditLogQuery = z.output<typeof AuditQuery>;
type AuditLogPage = z.input<typeof AuditPage>;

export interface AuditLogService {
  /** The audit log as the API shows it, newest first, filtered by exact actor, action or target. */
  list(query: AuditLogQuery): Promise<AuditLogPage>;
}

export function createAuditLogService(deps: { auditLog: AuditLogRepository }): AuditLogService {
  return {
    async list(query) {
      const page = await fetchPage(() => deps.auditLog.list(query));
      return {
        data: page.rows.map((entry) => ({
          id: entry.id,
          actor: entry.actor,
          action: entry.action,
          target: entry.target,
          request_id: entry.requestId,
          outcome: entry.outcome,
          details: entry.details,
          created_at: entry.createdAt.toISOString(),
        })),
        next_cursor: page.nextCursor,
      };
    },
  };
}
