import type { ApiResource } from '@hellojohn/sdk';
import { z } from 'zod';
import { crudTools } from './crud-tools';

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

export const resourceTools = crudTools<ApiResource>({
  area: 'resources',
  noun: 'resources',
  id: {
    name: 'resource_id',
    schema: z.string().min(1).max(200).describe('The id the control plane gave the resource.'),
  },
  output: { id: z.string(), identifier: z.string(), name: z.string() },
  label: (resource) => resource.identifier,
  sdk: (ctx) => ctx.cp.resources,
  list: {
    example: { tenant: 'acme' },
    title: "List a tenant's API resources",
    description:
      "The tenant's API resources (RFC 8707 audiences): identifier, scopes, token algorithm and " +
      'lifetime, one page at a time.',
  },
  get: {
    example: { tenant: 'acme', resource_id: 'res_1' },
    title: 'Get an API resource',
    description: 'One API resource with its scopes.',
  },
  create: {
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
    input: {
      identifier: z.string().min(1).max(2000).describe('Absolute URI, unique in the tenant.'),
      name: z.string().min(1).max(200),
      scopes: scopes.optional(),
      ...resourceFields,
    },
    summary: (resource) => `defined ${resource.identifier} (${resource.id})`,
  },
  update: {
    example: { tenant: 'acme', resource_id: 'res_1', access_token_alg: 'RS256' },
    title: 'Change an API resource',
    description:
      'Changes the fields given. `scopes` replaces the whole list; scopes it no longer defines are ' +
      "taken from clients' grants too.",
    input: {
      identifier: z.string().min(1).max(2000).optional(),
      name: z.string().min(1).max(200).optional(),
      scopes: scopes.optional(),
      ...resourceFields,
    },
  },
  delete: {
    example: { tenant: 'acme', resource_id: 'res_1', confirm: true },
    title: 'Delete an API resource',
    description: 'Deletes an API resource and every client grant on it; tokens for it are refused.',
  },
});
