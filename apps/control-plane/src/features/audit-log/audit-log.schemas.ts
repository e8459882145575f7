import { z } from 'zod';
import { pageOf, pageQuery } from '@hellojohn/http';

export const AuditQuery = pageQuery.extend({
  actor: z.string().max(254).optional(),
  action: z.string().max(100).optional(),
  target: z.string().max(200).optional(),
});

const AuditEntry = z.object({
  id: z.string(),
  actor: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  request_id: z.string().nullable(),
  outcome: z.string(),
  details: z.record(z.string(), z.unknown()),
  created_at: z.string(),
});

export const AuditPage = pageOf(AuditEntry);
