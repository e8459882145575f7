import type { CreateApiResourceInput } from '@hellojohn/sdk';
import { z } from 'zod';
import {
  defined,
  defineTool,
  itemResult,
  pageInput,
  pageOutput,
  pageResult,
  tenantInput,
} from './define-tool';

const resourceId = z
  .string()
  .min(1)
  .max(200)
  .describe('The id the control plane gave the resource.');
const scopes = z
  .array(
    z.strictObject({
      name: z.string().min(1).max(200).describe('e.g. invoices:read'),
      description: z.string().max(500).nullable().optional(),
    }),
  )
  .max(200)
  .describe('The permissions tokens for this API may carry.');
const resourceFields = {
  access_token_alg: z
    .enum(['EdDSA', 'RS256', 'ES256'])
    .optional()
    .describe('EdDSA (default), or RS256/ES256 for verifiers without EdDSA.'),
  access_token_ttl: z.number().int().min(60).max(86_400).nullable().optional(),
  subjects: z
    .enum(['users', 'machines', 'both'])
    .optional()
    .describe(
      'Who may get tokens: users (authorization code), machines (client credentials), both.',
    ),
};
const resourceOutput = { id: z.string(), identifier: z.string(), name: z.string() };

export const resourceTools = [
  defineTool({
    name: 'resources_list',
    example: { tenant: 'acme' },
    title: "List a tenant's API resources",
    description:
      "The tenant's API resources (RFC 8707 audiences): identifier, scopes, token algorithm and " +
      'lifetime, one page at a time.',
    kind: 'read',
    idempotent: true,
    input: { tenant: tenantInput, ...pageInput },
    output: pageOutput,
    run: async (args, ctx) =>
      pageResult(
        await ctx.cp.resources.list(args.tenant, {
          limit: args.limit,
          ...(args.cursor && { cursor: args.cursor }),
        }),
        'resources',
      ),
  }),
  defineTool({
    name: 'resources_get',
    example: { tenant: 'acme', resource_id: 'res_1' },
    title: 'Get an API resource',
    description: 'One API resource with its scopes.',
    kind: 'read',
    idempotent: true,
    input: { tenant: tenantInput, resource_id: resourceId },
    output: resourceOutput,
    run: async (args, ctx) => {
      const resource = await ctx.cp.resources.get(args.tenant, args.resource_id);
      return itemResult(resource, resource.identifier);
    },
  }),
  defineTool({
    name: 'resources_create',
    example: {
      tenant: 'acme',
      identifier: 'https://api.example.com',
      name: 'Invoices',
      scopes: [{ name: 'invoices:read' }],
    },
    title: 'Define an API resource',
    description:
      'Defines a protected API of the tenant: its identifier (an absolute URI, the `aud` of its ' +
      'tokens, e.g. https://api.example.com), name and scopes. Clients then ask for tokens with ' +
      '`resource=<identifier>`.',
    kind: 'write',
    idempotent: false,
    input: {
      tenant: tenantInput,
      identifier: z.string().min(1).max(2000).describe('Absolute URI, unique in the tenant.'),
      name: z.string().min(1).max(200),
      scopes: scopes.optional(),
      ...resourceFields,
    },
    output: resourceOutput,
    run: async (args, ctx) => {
      const { tenant, ...body } = args;
      const resource = await ctx.cp.resources.create(
        tenant,
        defined(body) as CreateApiResourceInput,
      );
      return itemResult(resource, `defined ${resource.identifier} (${resource.id})`);
    },
  }),
  defineTool({
    name: 'resources_update',
    example: { tenant: 'acme', resource_id: 'res_1', access_token_alg: 'RS256' },
    title: 'Change an API resource',
    description:
      'Changes the fields given. `scopes` replaces the whole list; scopes it no longer defines are ' +
      "taken from clients' grants too.",
    kind: 'write',
    idempotent: true,
    input: {
      tenant: tenantInput,
      resource_id: resourceId,
      identifier: z.string().min(1).max(2000).optional(),
      name: z.string().min(1).max(200).optional(),
      scopes: scopes.optional(),
      ...resourceFields,
    },
    output: resourceOutput,
    run: async (args, ctx) => {
      const { tenant, resource_id: id, ...body } = args;
      const resource = await ctx.cp.resources.update(tenant, id, defined(body));
      return itemResult(resource, `updated ${resource.identifier}`);
    },
  }),
  defineTool({
    name: 'resources_delete',
    example: { tenant: 'acme', resource_id: 'res_1', confirm: true },
    title: 'Delete an API resource',
    description: 'Deletes an API resource and every client grant on it; tokens for it are refused.',
    kind: 'destructive',
    idempotent: true,
    input: { tenant: tenantInput, resource_id: resourceId },
    output: { deleted: z.string() },
    run: async (args, ctx) => {
      await ctx.cp.resources.delete(args.tenant, args.resource_id);
      return itemResult({ deleted: args.resource_id }, `deleted ${args.resource_id}`);
    },
  }),
];
