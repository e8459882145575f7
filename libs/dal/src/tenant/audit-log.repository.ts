import type { Knex } from 'knex';
import { z } from 'zod';
import { mapDbError } from '../db-errors';
import type { NewAuditEntryBase } from '../internal/audit-entry';
import { auditColumns, auditRow } from '../internal/audit-entry';
import type { CursorCodec, Page, PageRequest } from '../internal/keyset';
import { keysetPage } from '../internal/keyset';

const tenantAuditSchema = z
  .object({ ...auditColumns, user_id: z.string().nullable(), ip: z.string().nullable() })
  .transform((r) => ({
    id: r.id,
    actor: r.actor,
    action: r.action,
    target: r.target,
    requestId: r.request_id,
    outcome: r.outcome,
    details: r.details,
    userId: r.user_id,
    ip: r.ip,
    createdAt: r.created_at,
  }));

/** One tenant audit record: the control plane's shape plus the user and client IP. */
export type TenantAuditEntry = z.output<typeof tenantAuditSchema>;

/** What {@link TenantAuditLogRepository.insert} takes. */
export interface NewTenantAuditEntry extends NewAuditEntryBase {
  userId?: string | null;
  ip?: string | null;
}

/** A tenant's append-only audit log. */
export interface TenantAuditLogRepository {
  insert(entry: NewTenantAuditEntry): Promise<TenantAuditEntry>;
  /** Newest first, optionally for one user or action. */
  list(
    request: PageRequest & { userId?: string | undefined; action?: string | undefined },
  ): Promise<Page<TenantAuditEntry>>;
}

/** Builds the tenant audit-log repository over a tenant's knex handle or transaction. */
export function createTenantAuditLogRepository(
  db: Knex | Knex.Transaction,
  cursors: CursorCodec,
): TenantAuditLogRepository {
  const parse = (row: unknown): TenantAuditEntry => tenantAuditSchema.parse(row);
  return {
    async insert(entry) {
      const raw = {
        ...auditRow(entry),
        user_id: entry.userId ?? null,
        ip: entry.ip ?? null,
      };
      try {
        await db('audit_log').insert(raw);
      } catch (err) {
        throw mapDbError(err);
      }
      return parse(raw);
    },
    list(request) {
      const query = db('audit_log').select('*');
      if (request.userId !== undefined) void query.where({ user_id: request.userId });
      if (request.action !== undefined) void query.where({ action: request.action });
      return keysetPage(query, request, parse, { cursors, order: 'desc' });
    },
  };
}
