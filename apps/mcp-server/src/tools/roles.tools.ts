import { z } from 'zod';
import {
  defined,
  defineTool,
  itemResult,
  pageOutput,
  pageResult,
  tenantInput,
} from './define-tool';

const roleKey = z.string().min(1).max(100).describe('The role key, e.g. "editor".');
const permissions = z
  .array(z.string().min(1).max(200))
  .max(500)
  .describe('resource:action permissions, e.g. ["invoices:read", "invoices:write"].');
const roleOutput = { key: z.string(), name: z.string(), permissions: z.array(z.string()) };
const userId = z.string().min(1).max(200).describe('The user id (users_get or users_search).');

/** Tenant roles and permissions (docs/organizations.md), on the data plane's admin routes. */
export const roleTools = [
  defineTool({
    name: 'roles_list',
    example: { tenant: 'acme' },
    title: "List a tenant's roles",
    description: 'The tenant roles with their permissions (these feed `permissions` in tokens).',
    kind: 'read',
    idempotent: true,
    input: { tenant: tenantInput },
    output: pageOutput,
    run: async (args, ctx) => {
      const roles = await ctx.dp(args.tenant).admin.roles.list(await ctx.token());
      return pageResult({ data: roles.data, next_cursor: null }, 'roles');
    },
  }),
  defineTool({
    name: 'roles_get',
    example: { tenant: 'acme', role: 'editor' },
    title: 'Get a role',
    description: 'One tenant role with its permissions.',
    kind: 'read',
    idempotent: true,
    input: { tenant: tenantInput, role: roleKey },
    output: roleOutput,
    run: async (args, ctx) => {
      const role = await ctx.dp(args.tenant).admin.roles.get(await ctx.token(), args.role);
      return itemResult(role, `${role.key}: ${role.permissions.join(' ')}`);
    },
  }),
  defineTool({
    name: 'roles_create',
    example: {
      tenant: 'acme',
      key: 'editor',
      name: 'Editor',
      permissions: ['docs:read', 'docs:write'],
    },
    title: 'Create a role',
    description: 'Creates a tenant role: a key, a name and its permissions.',
    kind: 'write',
    idempotent: false,
    input: {
      tenant: tenantInput,
      key: z.string().min(1).max(64).describe('e.g. "editor".'),
      name: z.string().min(1).max(200),
      permissions,
    },
    output: roleOutput,
    run: async (args, ctx) => {
      const { tenant, ...body } = args;
      const role = await ctx.dp(tenant).admin.roles.create(await ctx.token(), body);
      return itemResult(role, `created role ${role.key}`);
    },
  }),
  defineTool({
    name: 'roles_update',
    example: { tenant: 'acme', role: 'editor', permissions: ['docs:read'] },
    title: 'Change a role',
    description: "Changes a role's name and/or permissions (the list given replaces the old one).",
    kind: 'write',
    idempotent: true,
    input: {
      tenant: tenantInput,
      role: roleKey,
      name: z.string().min(1).max(200).optional(),
      permissions: permissions.optional(),
    },
    output: roleOutput,
    run: async (args, ctx) => {
      const role = await ctx
        .dp(args.tenant)
        .admin.roles.update(
          await ctx.token(),
          args.role,
          defined({ name: args.name, permissions: args.permissions }),
        );
      return itemResult(role, `updated role ${role.key}`);
    },
  }),
  defineTool({
    name: 'roles_delete',
    example: { tenant: 'acme', role: 'editor', confirm: true },
    title: 'Delete a role',
    description: 'Deletes a tenant role; users holding it lose its permissions.',
    kind: 'destructive',
    idempotent: true,
    input: { tenant: tenantInput, role: roleKey },
    output: { deleted: z.string() },
    run: async (args, ctx) => {
      await ctx.dp(args.tenant).admin.roles.remove(await ctx.token(), args.role);
      return itemResult({ deleted: args.role }, `deleted role ${args.role}`);
    },
  }),
  defineTool({
    name: 'roles_assign',
    example: { tenant: 'acme', user_id: 'usr_1', role: 'editor' },
    title: 'Give a user a role',
    description: 'Gives a user a tenant role (idempotent); it shows in their next tokens.',
    kind: 'write',
    idempotent: true,
    input: { tenant: tenantInput, user_id: userId, role: roleKey },
    output: { user_id: z.string(), role: z.string() },
    run: async (args, ctx) => {
      await ctx.dp(args.tenant).admin.roles.assign(await ctx.token(), args.user_id, args.role);
      return itemResult({ user_id: args.user_id, role: args.role }, `assigned ${args.role}`);
    },
  }),
  defineTool({
    name: 'roles_unassign',
    example: { tenant: 'acme', user_id: 'usr_1', role: 'editor', confirm: true },
    title: 'Take a role from a user',
    description: 'Takes a tenant role from a user (idempotent).',
    kind: 'destructive',
    idempotent: true,
    input: { tenant: tenantInput, user_id: userId, role: roleKey },
    output: { user_id: z.string(), role: z.string() },
    run: async (args, ctx) => {
      await ctx.dp(args.tenant).admin.roles.unassign(await ctx.token(), args.user_id, args.role);
      return itemResult({ user_id: args.user_id, role: args.role }, `unassigned ${args.role}`);
    },
  }),
];
