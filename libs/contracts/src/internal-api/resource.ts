import { z } from 'zod';

/**
 * OpenID Connect's scopes that ask for the user's identity or offline access (OIDC Core §5.4,
 * §11), and HelloJohn's `organization`: no API may define one, and client credentials refuse them.
 */
export const OIDC_USER_SCOPES = [
  'openid',
  'profile',
  'email',
  'address',
  'phone',
  'offline_access',
  'organization',
] as const;

/** Algorithms an API resource's access tokens may be signed with (EdDSA unless its API needs otherwise). */
export const RESOURCE_TOKEN_ALGS = ['EdDSA', 'RS256', 'ES256'] as const;

/** Who may obtain tokens for an API resource: end users (code flow), machines (client credentials), or both. */
export const RESOURCE_SUBJECTS = ['users', 'machines', 'both'] as const;

/** Most API resources a tenant may define: the data plane reads them all in one answer. */
export const MAX_RESOURCES_PER_TENANT = 100;

/** Most scopes an API resource may define. */
export const MAX_SCOPES_PER_RESOURCE = 200;

/** One permission of an API resource, as its tokens carry it in `scope` and `permissions`. */
export const ResourceScope = z.object({
  name: z.string(),
  description: z.string().nullable().default(null),
});

/** A confidential client's grant on an API resource: the scopes client credentials may obtain. */
const InternalResourceGrant = z.object({
  client_id: z.string(),
  scopes: z.array(z.string()),
});

/**
 * An API resource as the data plane reads it from `GET /internal/v1/tenants/{tenant}/resources`
 * (every resource of the tenant in one answer, at most {@link MAX_RESOURCES_PER_TENANT}), with
 * the client grants on it.
 */
export const InternalResource = z.object({
  id: z.string(),
  identifier: z.string().describe('Absolute URI: the `aud` of its access tokens.'),
  name: z.string(),
  scopes: z.array(ResourceScope),
  access_token_alg: z.enum(RESOURCE_TOKEN_ALGS),
  access_token_ttl: z.number().int().positive().nullable(),
  subjects: z.enum(RESOURCE_SUBJECTS),
  grants: z.array(InternalResourceGrant),
});

/** `GET /internal/v1/tenants/{tenant}/resources`. */
export const InternalResourceList = z.object({ data: z.array(InternalResource) });

export type InternalResource = z.output<typeof InternalResource>;
export type InternalResourceList = z.output<typeof InternalResourceList>;
export type ResourceTokenAlg = (typeof RESOURCE_TOKEN_ALGS)[number];
export type ResourceSubjects = (typeof RESOURCE_SUBJECTS)[number];
