import { setTimeout as sleep } from 'node:timers/promises';
import type { Tenant, UpdateTenantInput } from '@hellojohn/sdk';
import { z } from 'zod';
import type { ToolContext } from '../context';
import {
  defineTool,
  itemResult,
  pageInput,
  pageOutput,
  pageResult,
  tenantInput,
  pageQuery,
} from './define-tool';

const tenantOutput = {
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  status: z.string(),
  issuer: z.string(),
};

const settingsInput = z
  .record(z.string(), z.unknown())
  .describe(
    'Tenant settings (docs/configuration.md, "Tenant settings"): e.g. {"mfa": "required"}, ' +
      '{"sign_up_enabled": false}, {"access_token_ttl": 600}, {"password_policy": {"min_length": 14}}.',
  );

const POLL_MS = 200;

/** Polls until the tenant leaves `provisioning` or `waitSeconds` pass. */
async function waitForProvisioning(
  ctx: ToolContext,
  tenant: string,
  waitSeconds: number,
): Promise<Tenant> {
  const deadline = Date.now() + waitSeconds * 1000;
  let current = await ctx.cp.tenants.get(tenant);
  while (current.status === 'provisioning' && Date.now() < deadline) {
    await sleep(POLL_MS);
    current = await ctx.cp.tenants.get(tenant);
  }
  return current;
}

export const tenantTools = [
  defineTool({
    name: 'tenants_list',
    example: { status: 'active', limit: 20 },
    title: 'List tenants',
    description:
      'Lists tenants (id, slug, name, status, issuer), one page at a time, optionally only those ' +
      'with one status. Use to find a tenant before acting on it.',
    kind: 'read',
    idempotent: true,
    input: {
      ...pageInput,
      status: z
        .enum(['provisioning', 'active', 'failed', 'deleting'])
        .optional()
        .describe('Only tenants in this status.'),
    },
    output: pageOutput,
    run: async (args, ctx) =>
      pageResult(
        await ctx.cp.tenants.list({
          ...pageQuery(args),
          ...(args.status && { status: args.status }),
        }),
        'tenants',
      ),
  }),
  defineTool({
    name: 'tenants_get',
    example: { tenant: 'acme' },
    title: 'Get a tenant',
    description:
      "One tenant's full configuration: status, issuer, database mode and settings (an SMTP " +
      'password shows as ***).',
    kind: 'read',
    idempotent: true,
    input: { tenant: tenantInput },
    output: tenantOutput,
    run: async (args, ctx) => {
      const tenant = await ctx.cp.tenants.get(args.tenant);
      return itemResult(tenant, `${tenant.slug}: ${tenant.status}`);
    },
  }),
  defineTool({
    name: 'tenants_create',
    example: { slug: 'acme', name: 'Acme Inc.', settings: { mfa: 'optional' } },
    title: 'Create a tenant and wait for it',
    description:
      'Creates a tenant (its own database, signing keys and issuer {public URL}/t/{slug}) and ' +
      'waits until the data plane has provisioned it: answers the tenant with status "active", ' +
      '"failed" (status_reason says why) or still "provisioning" after wait_seconds (check with ' +
      'tenants_provisioning_status). The slug is permanent.',
    kind: 'write',
    idempotent: false,
    input: {
      slug: z
        .string()
        .regex(/^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])$/)
        .describe('3-63 characters: lowercase letters, digits, inner hyphens. Permanent.'),
      name: z.string().min(1).max(200).describe('Display name.'),
      settings: settingsInput.optional(),
      wait_seconds: z
        .number()
        .int()
        .min(0)
        .max(120)
        .default(30)
        .describe('How long to wait for provisioning (0: do not wait). Default 30.'),
    },
    output: tenantOutput,
    run: async (args, ctx) => {
      const created = await ctx.cp.tenants.create({
        slug: args.slug,
        name: args.name,
        ...(args.settings && { settings: args.settings }),
      });
      const tenant = await waitForProvisioning(ctx, created.id, args.wait_seconds);
      return itemResult(tenant, `${tenant.slug}: ${tenant.status}`);
    },
  }),
  defineTool({
    name: 'tenants_provisioning_status',
    example: { tenant: 'acme', wait_seconds: 30 },
    title: "A tenant's provisioning status",
    description:
      'Whether the data plane has provisioned a tenant: status provisioning, active, failed (with ' +
      'status_reason) or deleting. Optionally waits up to wait_seconds while it is provisioning.',
    kind: 'read',
    idempotent: true,
    input: {
      tenant: tenantInput,
      wait_seconds: z.number().int().min(0).max(120).default(0).describe('Default 0.'),
    },
    output: {
      id: z.string(),
      slug: z.string(),
      status: z.string(),
      status_reason: z.string().nullable(),
    },
    run: async (args, ctx) => {
      const tenant = await waitForProvisioning(ctx, args.tenant, args.wait_seconds);
      return itemResult(
        {
          id: tenant.id,
          slug: tenant.slug,
          status: tenant.status,
          status_reason: tenant.status_reason ?? null,
        },
        `${tenant.slug}: ${tenant.status}${tenant.status_reason ? ` (${tenant.status_reason})` : ''}`,
      );
    },
  }),
  defineTool({
    name: 'tenants_update',
    example: { tenant: 'acme', settings: { sign_up_enabled: false } },
    title: 'Rename a tenant or change its settings',
    description:
      "Changes a tenant's name and/or settings. `settings` is merged into the current settings " +
      'key by key (a top-level key given replaces that key; others are kept); set ' +
      'replace_settings to replace the whole object. Takes effect on the data plane within seconds.',
    kind: 'write',
    idempotent: true,
    input: {
      tenant: tenantInput,
      name: z.string().min(1).max(200).optional(),
      settings: settingsInput.optional(),
      replace_settings: z
        .boolean()
        .default(false)
        .describe('true: `settings` replaces every setting (absent ones return to defaults).'),
    },
    output: tenantOutput,
    run: async (args, ctx) => {
      const body: UpdateTenantInput = {};
      if (args.name !== undefined) body.name = args.name;
      if (args.settings !== undefined) {
        const current = args.replace_settings
          ? {}
          : ((await ctx.cp.tenants.get(args.tenant)).settings as Record<string, unknown>);
        body.settings = { ...current, ...args.settings };
      }
      const tenant = await ctx.cp.tenants.update(args.tenant, body);
      return itemResult(tenant, `updated ${tenant.slug}`);
    },
  }),
  defineTool({
    name: 'tenants_delete',
    example: { tenant: 'acme', confirm: true },
    title: 'Delete a tenant',
    description:
      'Deletes a tenant: its status becomes "deleting", the data plane drops its database (every ' +
      'user, session and key) and then it is gone. Its slug cannot be reused until then.',
    kind: 'destructive',
    idempotent: true,
    input: { tenant: tenantInput },
    output: tenantOutput,
    run: async (args, ctx) => {
      const tenant = await ctx.cp.tenants.delete(args.tenant);
      return itemResult(tenant, `${tenant.slug}: ${tenant.status}`);
    },
  }),
  defineTool({
    name: 'tenants_rotate_keys',
    example: { tenant: 'acme' },
    title: "Rotate a tenant's signing keys",
    description:
      'Asks the data plane for new signing keys for the tenant. Staged: the new key is published ' +
      'in the JWKS before it signs, and the old one stays published until tokens signed with it ' +
      'expire, so verifiers keep working. Inspect with keys_jwks.',
    kind: 'write',
    idempotent: false,
    input: { tenant: tenantInput },
    output: {},
    run: async (args, ctx) => {
      const accepted = await ctx.cp.tenants.rotateKeys(args.tenant);
      return itemResult(accepted, `key rotation requested for ${args.tenant}`);
    },
  }),
];
