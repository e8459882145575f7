import type { OAuthClient } from '@hellojohn/sdk';
import { z } from 'zod';
import { crudTools } from './crud-tools';
import { defineTool, itemResult, pageOutput, pageResult, tenantInput } from './define-tool';

const clientId = z.string().min(1).max(200).describe('The client_id.');
const uris = (what: string) => z.array(z.string().min(1).max(2000)).max(50).describe(what);
const grantTypes = z
  .array(z.enum(['authorization_code', 'refresh_token', 'client_credentials']))
  .min(1)
  .describe('client_credentials is for confidential (machine) clients only.');

const clientOutput = {
  client_id: z.string(),
  name: z.string(),
  type: z.string(),
};

/** Settings a client has both at creation and in an update. */
const clientSettings = {
  redirect_uris: uris(
    'Exact-match redirect URIs: https, http on localhost, or (public clients) a private-use scheme.',
  ).optional(),
  post_logout_redirect_uris: uris(
    'Where the end-session endpoint may send the browser back.',
  ).optional(),
  allowed_origins: uris(
    'Browser origins allowed by CORS, e.g. https://app.example.com.',
  ).optional(),
  scopes: z
    .array(z.string().min(1).max(200))
    .max(100)
    .optional()
    .describe('Default openid profile email.'),
  first_party: z.boolean().optional().describe('Your own app: skips the consent screen.'),
  access_token_ttl: z.number().int().min(60).max(86_400).nullable().optional(),
  refresh_token_ttl: z.number().int().min(300).max(31_536_000).nullable().optional(),
};

export const clientTools = [
  ...crudTools<OAuthClient>({
    area: 'clients',
    noun: 'clients',
    id: { name: 'client_id', schema: clientId },
    output: clientOutput,
    label: (client) => `${client.client_id}: ${client.name} (${client.type})`,
    sdk: (ctx) => ctx.cp.clients,
    list: {
      example: { tenant: 'acme' },
      title: "List a tenant's OAuth clients",
      description:
        "The tenant's OAuth clients (client_id, name, type, redirect URIs, grant types), one page " +
        'at a time. Secrets are never listed.',
    },
    get: {
      example: { tenant: 'acme', client_id: 'hjc_abc123' },
      title: 'Get an OAuth client',
      description: "One client's full registration (never its secret).",
    },
    create: {
      example: {
        tenant: 'acme',
        name: 'Web',
        type: 'confidential',
        grant_types: ['authorization_code', 'refresh_token'],
        redirect_uris: ['https://app.example.com/callback'],
      },
      title: 'Register an OAuth client',
      description:
        'Registers an OAuth client in a tenant. A web app with a server is "confidential" with ' +
        'grant_types [authorization_code, refresh_token]; a SPA or native app is "public"; a ' +
        "machine client is confidential with [client_credentials]. A confidential client's " +
        'client_secret is in this answer only: show it to the user once, it is stored hashed and ' +
        'cannot be read again (clients_rotate_secret makes a new one).',
      input: {
        name: z.string().min(1).max(200),
        type: z.enum(['public', 'confidential']),
        grant_types: grantTypes,
        ...clientSettings,
      },
      output: { ...clientOutput, client_secret: z.string().optional() },
      summary: (client) =>
        `registered ${client.client_id}${'client_secret' in client && client.client_secret ? ' (secret shown once)' : ''}`,
    },
    update: {
      example: {
        tenant: 'acme',
        client_id: 'hjc_abc123',
        allowed_origins: ['https://app.example.com'],
      },
      title: 'Change an OAuth client',
      description:
        'Changes the fields given (others are kept): name, redirect URIs, origins, scopes, grant ' +
        'types, lifetimes. A list given replaces the whole list.',
      input: {
        name: z.string().min(1).max(200).optional(),
        grant_types: grantTypes.optional(),
        ...clientSettings,
      },
    },
    delete: {
      example: { tenant: 'acme', client_id: 'hjc_abc123', confirm: true },
      title: 'Delete an OAuth client',
      description:
        'Deletes a client: its sign-ins and token requests are refused from then on, and its ' +
        'grants on API resources go with it.',
    },
  }),
  defineTool({
    name: 'clients_rotate_secret',
    example: { tenant: 'acme', client_id: 'hjc_abc123', confirm: true },
    title: "Replace a confidential client's secret",
    description:
      'Makes a new secret for a confidential client; the old one stops working at once. The new ' +
      'client_secret is in this answer only: show it to the user once.',
    kind: 'destructive',
    idempotent: false,
    input: { tenant: tenantInput, client_id: clientId },
    output: { client_id: z.string(), client_secret: z.string() },
    run: async (args, ctx) => {
      const secret = await ctx.cp.clients.rotateSecret(args.tenant, args.client_id);
      return itemResult(secret, `new secret for ${args.client_id} (shown once)`);
    },
  }),
  defineTool({
    name: 'clients_grants_list',
    example: { tenant: 'acme', client_id: 'hjc_abc123' },
    title: "A client's grants on API resources",
    description:
      'Which API resources a machine client may get tokens for with client credentials, and with ' +
      'which scopes.',
    kind: 'read',
    idempotent: true,
    input: { tenant: tenantInput, client_id: clientId },
    output: pageOutput,
    run: async (args, ctx) => {
      const grants = await ctx.cp.clients.grants(args.tenant, args.client_id);
      return pageResult({ data: grants.data, next_cursor: null }, 'grants');
    },
  }),
  defineTool({
    name: 'clients_grant_resource',
    example: {
      tenant: 'acme',
      client_id: 'hjc_abc123',
      resource_id: 'res_1',
      scopes: ['invoices:read'],
    },
    title: 'Grant a client scopes on an API resource',
    description:
      'Sets the scopes a confidential client may obtain for one API resource with client ' +
      'credentials (replacing any earlier grant on it). Each scope must be one the resource defines.',
    kind: 'write',
    idempotent: true,
    input: {
      tenant: tenantInput,
      client_id: clientId,
      resource_id: z.string().min(1).describe('The API resource id (resources_list).'),
      scopes: z.array(z.string().min(1)).max(100),
    },
    output: {},
    run: async (args, ctx) => {
      const grant = await ctx.cp.clients.grantResource(
        args.tenant,
        args.client_id,
        args.resource_id,
        args.scopes,
      );
      return itemResult(
        grant,
        `granted ${args.client_id} ${args.scopes.join(' ') || '(no scopes)'}`,
      );
    },
  }),
  defineTool({
    name: 'clients_revoke_resource',
    example: { tenant: 'acme', client_id: 'hjc_abc123', resource_id: 'res_1', confirm: true },
    title: "Remove a client's grant on an API resource",
    description:
      "Removes a machine client's grant on an API resource: its client-credentials requests for " +
      'that resource are refused from then on.',
    kind: 'destructive',
    idempotent: true,
    input: {
      tenant: tenantInput,
      client_id: clientId,
      resource_id: z.string().min(1),
    },
    output: { revoked: z.string() },
    run: async (args, ctx) => {
      await ctx.cp.clients.revokeResource(args.tenant, args.client_id, args.resource_id);
      return itemResult({ revoked: args.resource_id }, `revoked grant on ${args.resource_id}`);
    },
  }),
];
