import type { Knex } from 'knex';
import { z } from 'zod';
import type { NewAuditEntryBase } from '../internal/audit-entry';
import { auditColumns, auditRow } from '../internal/audit-entry';
import { mapDbError } from '../db-errors';
import type { CursorCodec, Page, PageRequest } from '../internal/keyset';
import { keysetPage } from '../internal/keyset';

const auditSchema = z.object(auditColumns).transform((r) => ({
  id: r.id,
  actor: r.actor,
  action: r.action,
  target: r.target,
  requestId: r.request_id,
  outcome: r.outcome,
  details: r.details,
  createdAt: r.created_at,
}));

/** One control-plane audit record. */
export type AuditEntry = z.output<typeof auditSchema>;

/** What {@link AuditLogRepository.insert} takes. */
export type NewAuditEntry = NewAuditEntryBase;

/** Filters for {@link AuditLogRepository.list}; each narrows by exact match. */
export interface AuditListRequest extends PageRequest {
  actor?: string | undefined;
  action?: string | undefined;
  target?: string | undefined;
}

/** The control plane's append-only audit log. */
export interface AuditLogRepository {
  insert(entry: NewAuditEntry): Promise<AuditEntry>;
  /** Newest first. */
  list(request: AuditListRequest): Promise<Page<AuditEntry>>;
}

/** Builds the control-plane audit-log repository over a knex handle or transaction. */
export function createAuditLogRepository(
  db: Knex | Knex.Transaction,
  cursors: CursorCodec,
): AuditLogRepository {
  const parse = (row: unknown): AuditEntry => auditSchema.parse(row);
  return {
    async insert(entry) {
      const raw = auditRow(entry);
      try {
        await db('audit_log').insert(raw);
      } catch (err) {
        throw mapDbError(err);
      }
      return parse(raw);
    },
    list(request) {
      const query = db('audit_log').select('*');
      if (request.actor !== undefined) void query.where({ actor: request.actor });
      if (request.action !== undefined) void query.where({ action: request.action });
      if (request.target !== undefined) void query.where({ target: request.target });
      return keysetPage(query, request, parse, { cursors, order: 'desc' });
    },
  };
}
