import { pageOf, pageQuery } from '@hellojohn/http';
import type { SessionRow } from '@hellojohn/dal';
import { z } from 'zod';

export const Session = z.object({
  id: z.string(),
  created_at: z.string(),
  last_used_at: z.string(),
  expires_at: z.string(),
  user_agent: z.string().nullable(),
  ip: z.string().nullable(),
  current: z.boolean().describe('This is the session of the token making the request.'),
});

export const SessionList = pageOf(Session);

/**
 * `?limit=&cursor=`; the default page (50) holds every session under the default cap, so a
 * client that never sends a cursor still sees them all unless its tenant raised the cap.
 */
export const SessionListQuery = pageQuery.extend({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(50)
    .describe('Page size, 1-100 (default 50).'),
});

/** Not strict: `/t/{tenant}` merges its `tenant` param in. */
export const SessionParams = z.object({ id: z.string().min(1).max(64) });

export function toSessionView(session: SessionRow, currentId: string): z.input<typeof Session> {
  return {
    id: session.id,
    created_at: session.createdAt.toISOString(),
    last_used_at: session.lastUsedAt.toISOString(),
    expires_at: session.expiresAt.toISOString(),
    user_agent: session.userAgent,
    ip: session.ip,
    current: session.id === currentId,
  };
}
