import { z } from 'zod';
import {
  defineTool,
  itemResult,
  pageInput,
  pageOutput,
  pageResult,
  tenantInput,
  pageQuery,
} from './define-tool';
import { target, userRef } from './user-ref';

/** One user's sessions, one at a time (users_sign_out ends them all). */
export const sessionTools = [
  defineTool({
    name: 'users_sessions_list',
    example: { tenant: 'acme', user: 'ada@example.com' },
    title: "A user's live sessions",
    description:
      "The user's live sessions, most recently used first: kind (token or browser), created, " +
      'last used, expiry, sign-in methods (amr), IP, user agent and client. Never a token.',
    kind: 'read',
    idempotent: true,
    input: { tenant: tenantInput, user: userRef, ...pageInput },
    output: pageOutput,
    run: async (args, ctx) => {
      const { dp, token, id } = await target(ctx, args.tenant, args.user);
      return pageResult(await dp.admin.users.sessions.list(token, id, pageQuery(args)), 'sessions');
    },
  }),
  defineTool({
    name: 'users_sessions_revoke',
    example: { tenant: 'acme', user: 'ada@example.com', session_id: 'ses_1', confirm: true },
    title: 'End one session of a user',
    description:
      'Ends one session (e.g. a lost device) as its own sign-out would: its refresh tokens stop ' +
      'working at once and its access tokens expire within minutes. The other sessions stay.',
    kind: 'destructive',
    idempotent: true,
    input: {
      tenant: tenantInput,
      user: userRef,
      session_id: z.string().min(1).max(64).describe('The session id (users_sessions_list).'),
    },
    output: { revoked: z.string() },
    run: async (args, ctx) => {
      const { dp, token, id } = await target(ctx, args.tenant, args.user);
      await dp.admin.users.sessions.revoke(token, id, args.session_id);
      return itemResult({ revoked: args.session_id }, `ended session ${args.session_id}`);
    },
  }),
];
