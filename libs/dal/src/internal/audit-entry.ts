import { z } from 'zod';
import { dbDate, dbJsonObject } from './columns';

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
