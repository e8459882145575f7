import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { dbDate, dbJsonObject, toJson } from './columns';

/** Columns shared by the control-plane and tenant audit logs. */
export const auditColumns = {
  id: z.string(),
  actor: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  request_id: z.string().nullable(),
  outcome: z.string(),
  details: dbJsonObject,
  created_at: dbDate,
};

/** Fields every audit insert takes; `id` and `createdAt` default to a new UUID and now. */
export interface NewAuditEntryBase {
  id?: string;
  actor: string;
  action: string;
  target?: string | null;
  requestId?: string | null;
  /** e.g. 'success' | 'failure' | 'denied'. */
  outcome: string;
  details?: Record<string, unknown>;
  createdAt?: Date;
}

/** The shared columns of an audit row to insert, with their defaults applied. */
export function auditRow(entry: NewAuditEntryBase) {
  return {
    id: entry.id ?? randomUUID(),
    actor: entry.actor,
    action: entry.action,
    target: entry.target ?? null,
    request_id: entry.requestId ?? null,
    outcome: entry.outcome,
    details: toJson(entry.details ?? {}),
    created_at: entry.createdAt ?? new Date(),
  };
}
