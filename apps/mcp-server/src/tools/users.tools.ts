import { z } from 'zod';
import {
  defined,
  defineTool,
  itemResult,
  pageInput,
  pageOutput,
  pageResult,
  tenantInput,
  pageQuery,
} from './define-tool';
import { target, userRef } from './user-ref';

const userOutput = { id: z.string(), email: z.string(), status: z.string() };

/** A tenant's users, through the data plane's tenant-admin routes (the same CP credential). */
export const userTools = [
  defineTool({
    name: 'users_list',
    example: { tenant: 'acme', limit: 50 },
    title: "List a tenant's users",
    description: "The tenant's users (id, email, name, status, verified), one page at a time.",
    kind: 'read',
    idempotent: true,
    input: { tenant: tenantInput, ...pageInput },
    output: pageOutput,
    run: async (args, ctx) =>
      pageResult(
        await ctx.dp(args.tenant).admin.users.list(await ctx.token(), pageQuery(args)),
        'users',
      ),
  }),
  defineTool({
    name: 'users_search',
    example: { tenant: 'acme', email_prefix: 'ada@' },
    title: 'Search users by email',
    description:
      'Users whose email starts with the given text (case-insensitive), one page at a time.',
    kind: 'read',
    idempotent: true,
    input: {
      tenant: tenantInput,
      email_prefix: z.string().min(1).max(320).describe('e.g. "ada@" or "ada@example.com".'),
      ...pageInput,
    },
    output: pageOutput,
    run: async (args, ctx) =>
      pageResult(
        await ctx.dp(args.tenant).admin.users.list(await ctx.token(), {
          email: args.email_prefix,
          ...pageQuery(args),
        }),
        'users',
      ),
  }),
  defineTool({
    name: 'users_get',
    example: { tenant: 'acme', user: 'ada@example.com' },
    title: 'Get a user',
    description: 'One user of the tenant, by id or exact email: profile, status, metadata.',
    kind: 'read',
    idempotent: true,
    input: { tenant: tenantInput, user: userRef },
    output: userOutput,
    run: async (args, ctx) => {
      const { dp, token, id } = await target(ctx, args.tenant, args.user);
      const user = await dp.admin.users.get(token, id);
      return itemResult(user, `${user.email} (${user.status})`);
    },
  }),
  defineTool({
    name: 'users_create',
    example: { tenant: 'acme', email: 'ada@example.com', name: 'Ada', email_verified: true },
    title: 'Create a user',
    description:
      'Creates a user in the tenant. Without a password the account cannot sign in by password ' +
      '(magic link, passkey or password reset instead). The password is never echoed back.',
    kind: 'write',
    idempotent: false,
    input: {
      tenant: tenantInput,
      email: z.email(),
      name: z.string().min(1).max(200).optional(),
      password: z.string().min(1).max(256).optional().describe("Must meet the tenant's policy."),
      email_verified: z.boolean().optional(),
    },
    output: userOutput,
    run: async (args, ctx) => {
      const { tenant, ...body } = args;
      const user = await ctx
        .dp(tenant)
        .admin.users.create(await ctx.token(), { email: body.email, ...defined(body) });
      return itemResult(user, `created ${user.email} (${user.id})`);
    },
  }),
  defineTool({
    name: 'users_update',
    example: { tenant: 'acme', user: 'ada@example.com', metadata: { plan: 'pro' } },
    title: "Change a user's name or metadata",
    description: "Changes a user's display name and/or metadata (a JSON object, replaced whole).",
    kind: 'write',
    idempotent: true,
    input: {
      tenant: tenantInput,
      user: userRef,
      name: z.string().min(1).max(200).nullable().optional(),
      metadata: z.record(z.string(), z.unknown()).optional(),
    },
    output: userOutput,
    run: async (args, ctx) => {
      const { dp, token, id } = await target(ctx, args.tenant, args.user);
      const user = await dp.admin.users.update(
        token,
        id,
        defined({ name: args.name, metadata: args.metadata }),
      );
      return itemResult(user, `updated ${user.email}`);
    },
  }),
  defineTool({
    name: 'users_disable',
    example: { tenant: 'acme', user: 'ada@example.com', confirm: true },
    title: 'Disable a user',
    description:
      'Disables a user: they cannot sign in and every session of theirs is revoked. Reversible ' +
      'with users_enable.',
    kind: 'destructive',
    idempotent: true,
    input: { tenant: tenantInput, user: userRef },
    output: userOutput,
    run: async (args, ctx) => {
      const { dp, token, id } = await target(ctx, args.tenant, args.user);
      const user = await dp.admin.users.update(token, id, { disabled: true });
      return itemResult(user, `disabled ${user.email}`);
    },
  }),
  defineTool({
    name: 'users_enable',
    example: { tenant: 'acme', user: 'ada@example.com' },
    title: 'Enable a user',
    description: 'Lets a disabled user sign in again.',
    kind: 'write',
    idempotent: true,
    input: { tenant: tenantInput, user: userRef },
    output: userOutput,
    run: async (args, ctx) => {
      const { dp, token, id } = await target(ctx, args.tenant, args.user);
      const user = await dp.admin.users.update(token, id, { disabled: false });
      return itemResult(user, `enabled ${user.email}`);
    },
  }),
  defineTool({
    name: 'users_sign_out',
    example: { tenant: 'acme', user: 'ada@example.com', confirm: true },
    title: 'Sign a user out everywhere',
    description:
      'Revokes every session of the user (force sign-out): their refresh tokens stop working at ' +
      'once and access tokens expire within minutes. Use after a suspected compromise.',
    kind: 'destructive',
    idempotent: true,
    input: { tenant: tenantInput, user: userRef },
    output: { signed_out: z.string() },
    run: async (args, ctx) => {
      const { dp, token, id } = await target(ctx, args.tenant, args.user);
      await dp.admin.users.signOut(token, id);
      return itemResult({ signed_out: id }, `ended every session of ${id}`);
    },
  }),
  defineTool({
    name: 'users_delete',
    example: { tenant: 'acme', user: 'ada@example.com', confirm: true },
    title: 'Delete a user',
    description:
      'Deletes a user with their sessions, factors and memberships. Refused while they are the ' +
      'only owner of an organization.',
    kind: 'destructive',
    idempotent: true,
    input: { tenant: tenantInput, user: userRef },
    output: { deleted: z.string() },
    run: async (args, ctx) => {
      const { dp, token, id } = await target(ctx, args.tenant, args.user);
      await dp.admin.users.delete(token, id);
      return itemResult({ deleted: id }, `deleted user ${id}`);
    },
  }),
  defineTool({
    name: 'users_consents_list',
    example: { tenant: 'acme', user: 'ada@example.com' },
    title: "A user's OAuth consents",
    description: 'The OAuth clients a user has allowed, with the scopes and when.',
    kind: 'read',
    idempotent: true,
    input: { tenant: tenantInput, user: userRef, ...pageInput },
    output: pageOutput,
    run: async (args, ctx) => {
      const { dp, token, id } = await target(ctx, args.tenant, args.user);
      return pageResult(await dp.admin.users.consents(token, id, pageQuery(args)), 'consents');
    },
  }),
  defineTool({
    name: 'users_mfa_get',
    example: { tenant: 'acme', user: 'ada@example.com' },
    title: "A user's second factors",
    description:
      "The user's MFA factors (type, name, confirmed, last used) and how many recovery codes are " +
      'left. Never the secrets.',
    kind: 'read',
    idempotent: true,
    input: { tenant: tenantInput, user: userRef },
    output: { factors: z.array(z.record(z.string(), z.unknown())) },
    run: async (args, ctx) => {
      const { dp, token, id } = await target(ctx, args.tenant, args.user);
      const mfa = await dp.admin.users.mfa.get(token, id);
      return itemResult(mfa, `${String(mfa.factors.length)} factors`);
    },
  }),
  defineTool({
    name: 'users_mfa_reset',
    example: { tenant: 'acme', user: 'ada@example.com', confirm: true },
    title: "Reset a user's MFA",
    description:
      'Deletes every second factor and recovery code of the user (lost phone): they sign in with ' +
      'their password alone, or enrol again where the tenant requires MFA. Verify who is asking first.',
    kind: 'destructive',
    idempotent: true,
    input: { tenant: tenantInput, user: userRef },
    output: { reset: z.string() },
    run: async (args, ctx) => {
      const { dp, token, id } = await target(ctx, args.tenant, args.user);
      await dp.admin.users.mfa.reset(token, id);
      return itemResult({ reset: id }, `reset MFA of ${id}`);
    },
  }),
];
