import type { SessionRow } from '@hellojohn/dal';
import { pageOf } from '@hellojohn/http';
import { z } from 'zod';

/**
 * A user's session as tenant admins see it. Never a token or handle hash: only what tells the
 * sessions apart (when, from where, how the user authenticated, for which client).
 */
export const AdminSession = z.object({
  id: z.string(),
  kind: z
    .enum(['token', 'browser'])
    .describe("`browser`: the hosted login's SSO cookie; `token`: refresh and access tokens."),
  created_at: z.string(),
  last_used_at: z.string(),
  expires_at: z.string(),
  auth_time: z.string().describe('When the user last authenticated in it.'),
  amr: z.array(z.string()).describe('Authentication methods (RFC 8176), e.g. `["pwd", "otp"]`.'),
  ip: z.string().nullable(),
  user_agent: z.string().nullable(),
  client_id: z.string().nullable().describe('The OAuth client its tokens are bound to, if any.'),
});

export const AdminSessionList = pageOf(AdminSession);

/** Not strict: `/t/{tenant}` merges its `tenant` param in. */
export const UserParams = z.object({ id: z.string().min(1).max(64) });

export const UserSessionParams = UserParams.extend({ session_id: z.string().min(1).max(64) });

export function toAdminSessionView(session: SessionRow): z.input<typeof AdminSession> {
  return {
    id: session.id,
    kind: session.kind,
    created_at: session.createdAt.toISOString(),
    last_used_at: session.lastUsedAt.toISOString(),
    expires_at: session.expiresAt.toISOString(),
    auth_time: session.authTime.toISOString(),
    amr: session.amr,
    ip: session.ip,
    user_agent: session.userAgent,
    client_id: session.clientId,
  };
}
