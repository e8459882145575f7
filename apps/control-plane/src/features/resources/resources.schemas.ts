import { pageOf, pageQuery, safeText } from '@hellojohn/http';
import {
  MAX_SCOPES_PER_RESOURCE,
  OIDC_USER_SCOPES,
  RESOURCE_SUBJECTS,
  RESOURCE_TOKEN_ALGS,
} from '@hellojohn/contracts';
import { tenantSettingsSchema } from '@hellojohn/config';
import { z } from 'zod';
import { ScopeToken, TenantRef, uniqueArray } from '../clients';

/** RFC 8707 §2: the identifier of a resource is an absolute URI; 500 characters is the column. */
const MAX_IDENTIFIER_LENGTH = 500;

// OpenID Connect's and HelloJohn's own scopes mean something else in a token request: an API
// defining one would make `scope=openid` ambiguous.
const RESERVED_SCOPES: ReadonlySet<string> = new Set(OIDC_USER_SCOPES);

/** Why `identifier` cannot name an API resource, or undefined when it can. */
function identifierProblem(identifier: string): string | undefined {
  let url: URL;
  try {
    url = new URL(identifier);
  } catch {
    return 'must be an absolute URI, e.g. https://api.example.com/invoices';
  }
  if (identifier.includes('#')) return 'must not have a fragment (RFC 8707 §2)';
  if (url.protocol === 'http:' || url.protocol === 'https:') {
    if (url.username !== '' || url.password !== '') return 'must not carry credentials';
  }
  if (/\s/.test(identifier)) return 'must not contain white space';
  return undefined;
}

const Identifier = z
  .string()
  .min(1)
  .max(MAX_IDENTIFIER_LENGTH)
  .superRefine((identifier, ctx) => {
    if (identifier.length > MAX_IDENTIFIER_LENGTH) return;
    const problem = identifierProblem(identifier);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .describe(
    'Absolute URI naming the API (RFC 8707 `resource`), the `aud` of its access tokens; unique in the tenant. It need not resolve.',
  );

const ResourceScopeName = ScopeToken.refine((name) => !RESERVED_SCOPES.has(name), {
  error: 'is an OpenID Connect scope; choose another name',
});

const ResourceScopeInput = z.strictObject({
  name: ResourceScopeName.describe('The permission, e.g. `invoices:read`.'),
  description: safeText().trim().max(300).nullable().default(null),
});

/** Scope names are unique within a resource: a repeated name is flagged at its index. */
const ResourceScopes = z
  .array(ResourceScopeInput)
  .max(MAX_SCOPES_PER_RESOURCE)
  .superRefine((scopes, ctx) => {
    const seen = new Set<string>();
    scopes.forEach((scope, index) => {
      if (seen.has(scope.name)) {
        ctx.addIssue({ code: 'custom', message: 'is a duplicate', path: [index, 'name'] });
      }
      seen.add(scope.name);
    });
  })
  .describe('The permissions of the API: what tokens for it may carry in `scope`/`permissions`.');

const AccessTokenAlg = z
  .enum(RESOURCE_TOKEN_ALGS)
  .describe(
    'How its access tokens are signed: `EdDSA` (default), or `RS256`/`ES256` for verifiers without EdDSA (jsonwebtoken, many gateways).',
  );

const AccessTokenTtl = tenantSettingsSchema.shape.access_token_ttl
  .unwrap()
  .nullable()
  .describe("Seconds (60-86400); null: the client's, else the tenant's access_token_ttl.");

const Subjects = z
  .enum(RESOURCE_SUBJECTS)
  .describe(
    'Who may get tokens for it: `users` (authorization code), `machines` (client credentials) or `both`.',
  );

const ResourceName = safeText().trim().min(1).max(200);

export const CreateResourceBody = z.strictObject({
  identifier: Identifier,
  name: ResourceName,
  scopes: ResourceScopes.default([]),
  access_token_alg: AccessTokenAlg.default('EdDSA'),
  access_token_ttl: AccessTokenTtl.default(null),
  subjects: Subjects.default('both'),
});

export const UpdateResourceBody = z
  .strictObject({
    identifier: Identifier.optional(),
    name: ResourceName.optional(),
    scopes: ResourceScopes.optional(),
    access_token_alg: AccessTokenAlg.optional(),
    access_token_ttl: AccessTokenTtl.optional(),
    subjects: Subjects.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { error: 'must change at least one field' });

const ResourceId = z.uuid().describe('The id the control plane gave the resource.');

export const TenantResourcesParams = z.strictObject({ tenant: TenantRef });
export const ResourceParams = z.strictObject({ tenant: TenantRef, id: ResourceId });
export const ListResourcesQuery = pageQuery;

export const Resource = z.object({
  id: z.string(),
  identifier: z.string(),
  name: z.string(),
  scopes: z.array(z.object({ name: z.string(), description: z.string().nullable() })),
  access_token_alg: z.enum(RESOURCE_TOKEN_ALGS),
  access_token_ttl: z.number().int().nullable(),
  subjects: z.enum(RESOURCE_SUBJECTS),
  created_at: z.string(),
  updated_at: z.string(),
});

export const ResourceList = pageOf(Resource);

export const ClientGrantParams = z.strictObject({
  tenant: TenantRef,
  client_id: z.string().min(1).max(128),
  id: ResourceId,
});

export const ClientGrantsParams = z.strictObject({
  tenant: TenantRef,
  client_id: z.string().min(1).max(128),
});

export const PutClientGrantBody = z.strictObject({
  scopes: uniqueArray(ScopeToken)
    .max(MAX_SCOPES_PER_RESOURCE)
    .describe(
      "The resource's scopes the client may obtain with client credentials (each defined by the resource).",
    ),
});

export const ClientGrant = z.object({
  resource_id: z.string(),
  identifier: z.string().describe('The resource identifier: `resource` in token requests.'),
  client_id: z.string(),
  scopes: z.array(z.string()),
  created_at: z.string(),
  updated_at: z.string(),
});

export const ClientGrantList = z.object({ data: z.array(ClientGrant) });

export type CreateResourceInput = z.output<typeof CreateResourceBody>;
export type UpdateResourceInput = z.output<typeof UpdateResourceBody>;
export type ListResourcesInput = z.output<typeof ListResourcesQuery>;
export type ResourceView = z.input<typeof Resource>;
export type ClientGrantView = z.input<typeof ClientGrant>;
