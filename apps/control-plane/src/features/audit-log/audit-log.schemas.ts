import { z } from 'zod';
import { pageOf, pageQuery, safeText } from '@hellojohn/http';

/** Filters: no NUL, no lone surrogate (`safeText`), as every text input. */
export const AuditQuery = pageQuery.extend({
  actor: safeText().max(254).optional(),
  action: safeText().max(100).optional(),
  target: safeText().max(200).optional(),
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
