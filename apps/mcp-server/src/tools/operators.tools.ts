import type { CreateAdminInput, CreateApiKeyInput } from '@hellojohn/sdk';
import { z } from 'zod';
import {
  defined,
  defineTool,
  itemResult,
  pageInput,
  pageOutput,
  pageResult,
  pageQuery,
} from './define-tool';

const role = z
  .enum(['owner', 'admin', 'viewer'])
  .describe('owner manages everything; admin manages tenants and their content; viewer reads.');
const tenants = z
  .union([z.literal('*'), z.array(z.string().min(1)).min(1).max(1000)])
  .describe('"*" (every tenant, the default) or a list of tenant ids or slugs.');
const adminId = z.string().min(1).max(200).describe('The admin id (admins_list).');
const keyId = z.string().min(1).max(200).describe('The API key id (api_keys_list), not the key.');
const adminOutput = { id: z.string(), email: z.string(), role: z.string() };
const keyOutput = { id: z.string(), name: z.string(), role: z.string() };

/** Control-plane operators: CP admins and API keys (docs/security.md). */
export const operatorTools = [
  defineTool({
    name: 'admins_list',
    example: {},
    title: 'List CP admins',
    description: 'The control-plane admins: email, role, tenants they cover, disabled or not.',
    kind: 'read',
    idempotent: true,
    input: pageInput,
    output: pageOutput,
    run: async (args, ctx) => pageResult(await ctx.cp.admins.list(pageQuery(args)), 'admins'),
  }),
  defineTool({
    name: 'admins_create',
    example: { email: 'ops@example.com', password: 'a long passphrase 42', role: 'viewer' },
    title: 'Create a CP admin',
    description:
      'Creates a control-plane admin who signs in with this email and password. The password is ' +
      'not echoed back; pass it on to the person out of band.',
    kind: 'write',
    idempotent: false,
    input: {
      email: z.email(),
      password: z.string().min(12).max(256).describe('At least 12 characters.'),
      role: role.optional(),
      tenants: tenants.optional(),
    },
    output: adminOutput,
    run: async (args, ctx) => {
      const admin = await ctx.cp.admins.create(defined(args) as CreateAdminInput);
      return itemResult(admin, `created admin ${admin.email} (${admin.role})`);
    },
  }),
  defineTool({
    name: 'admins_update',
    example: { admin_id: 'adm_1', role: 'admin', tenants: ['acme'] },
    title: "Change a CP admin's role, tenants or access",
    description:
      "Changes an admin's role or tenants, or disables/enables them. Their tokens issued before " +
      'the change stop working on both planes.',
    kind: 'write',
    idempotent: true,
    input: {
      admin_id: adminId,
      role: role.optional(),
      tenants: tenants.optional(),
      disabled: z.boolean().optional(),
    },
    output: adminOutput,
    run: async (args, ctx) => {
      const { admin_id: id, ...body } = args;
      const admin = await ctx.cp.admins.update(id, defined(body));
      return itemResult(admin, `updated admin ${admin.email}`);
    },
  }),
  defineTool({
    name: 'admins_delete',
    example: { admin_id: 'adm_1', confirm: true },
    title: 'Delete a CP admin',
    description: 'Deletes a control-plane admin (never the last owner); their sessions end.',
    kind: 'destructive',
    idempotent: true,
    input: { admin_id: adminId },
    output: { deleted: z.string() },
    run: async (args, ctx) => {
      await ctx.cp.admins.delete(args.admin_id);
      return itemResult({ deleted: args.admin_id }, `deleted admin ${args.admin_id}`);
    },
  }),
  defineTool({
    name: 'api_keys_list',
    example: {},
    title: 'List API keys',
    description:
      'The API keys (hjk_...): name, role, tenants, expiry, last use. Never the keys themselves.',
    kind: 'read',
    idempotent: true,
    input: pageInput,
    output: pageOutput,
    run: async (args, ctx) => pageResult(await ctx.cp.apiKeys.list(pageQuery(args)), 'API keys'),
  }),
  defineTool({
    name: 'api_keys_create',
    example: { name: 'ci-deploy', role: 'admin', tenants: ['acme'] },
    title: 'Create an API key',
    description:
      "Creates an API key for a machine: a bearer for the control plane and the data plane's " +
      'admin routes, with a role and tenants. The key is in this answer only: show it to the user ' +
      'once; it is stored hashed.',
    kind: 'write',
    idempotent: false,
    input: {
      name: z.string().min(1).max(200),
      role,
      tenants: tenants.optional(),
      expires_at: z.iso.datetime({ offset: true }).optional().describe('ISO 8601; none: never.'),
    },
    output: { ...keyOutput, key: z.string() },
    run: async (args, ctx) => {
      const key = await ctx.cp.apiKeys.create(defined(args) as CreateApiKeyInput);
      return itemResult(key, `created API key ${key.name} (${key.id}); key shown once`);
    },
  }),
  defineTool({
    name: 'api_keys_rotate',
    example: { key_id: 'key_1', overlap_seconds: 3600, confirm: true },
    title: 'Rotate an API key',
    description:
      "Replaces an API key's secret; the old one keeps working for overlap_seconds (default 0: " +
      'stops at once). The new key is in this answer only.',
    kind: 'destructive',
    idempotent: false,
    input: {
      key_id: keyId,
      overlap_seconds: z.number().int().min(0).max(2_592_000).default(0),
    },
    output: { ...keyOutput, key: z.string() },
    run: async (args, ctx) => {
      const key = await ctx.cp.apiKeys.rotate(args.key_id, args.overlap_seconds);
      return itemResult(key, `rotated API key ${key.name}; new key shown once`);
    },
  }),
  defineTool({
    name: 'api_keys_revoke',
    example: { key_id: 'key_1', confirm: true },
    title: 'Revoke an API key',
    description: 'Revokes an API key: it stops working on both planes at once.',
    kind: 'destructive',
    idempotent: true,
    input: { key_id: keyId },
    output: { revoked: z.string() },
    run: async (args, ctx) => {
      await ctx.cp.apiKeys.revoke(args.key_id);
      return itemResult({ revoked: args.key_id }, `revoked API key ${args.key_id}`);
    },
  }),
  defineTool({
    name: 'audit_log_search',
    example: { action: 'client.secret_rotated', limit: 10 },
    title: "Search the control plane's audit log",
    description:
      'Audit entries of the control plane, newest first, filtered by action (e.g. tenant.created, ' +
      'client.secret_rotated; docs/audit.md), actor (an admin id or API key id) and/or target ' +
      '(e.g. a tenant or client id). Entries made through this server have a request_id ' +
      'starting "mcp-".',
    kind: 'read',
    idempotent: true,
    input: {
      ...pageInput,
      action: z.string().min(1).max(100).optional(),
      actor: z.string().min(1).max(200).optional(),
      target: z.string().min(1).max(200).optional(),
    },
    output: pageOutput,
    run: async (args, ctx) =>
      pageResult(await ctx.cp.auditLog.list(defined(args)), 'audit entries'),
  }),
];
