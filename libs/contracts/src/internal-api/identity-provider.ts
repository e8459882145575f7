import { z } from 'zod';

/** The kinds of upstream identity provider a tenant may configure (docs/federation.md). */
export const IDENTITY_PROVIDER_TYPES = ['oidc', 'github', 'google', 'microsoft', 'apple'] as const;

/** Most identity providers a tenant may configure: the data plane reads them all in one answer. */
export const MAX_IDENTITY_PROVIDERS_PER_TENANT = 50;

/** Which upstream claims fill the user's email, name and picture. */
export const AttributeMapping = z.object({
  email: z.string().min(1).max(100).default('email'),
  name: z.string().min(1).max(100).default('name'),
  picture: z.string().min(1).max(100).default('picture'),
});

/**
 * Endpoint overrides: a preset's (or a discovery document's) endpoints replaced, e.g. for GitHub
 * Enterprise Server, or local stand-ins in tests. Each is an absolute URL.
 */
export const ProviderEndpoints = z.object({
  issuer: z.string().optional(),
  authorization: z.string().optional(),
  token: z.string().optional(),
  userinfo: z.string().optional(),
  jwks: z.string().optional(),
  /** GitHub: the API base (`https://api.github.com`) for `/user` and `/user/emails`. */
  api: z.string().optional(),
});

/**
 * An identity provider as the data plane reads it from
 * `GET /internal/v1/tenants/{tenant}/identity-providers`, secrets in clear: the control plane
 * seals them with its own master key, which the data plane does not have (docs/architecture.md), and the
 * internal API is authenticated by `HJ_INTERNAL_TOKEN`.
 */
export const InternalIdentityProvider = z.object({
  id: z.string(),
  type: z.enum(IDENTITY_PROVIDER_TYPES),
  name: z.string(),
  enabled: z.boolean(),
  issuer: z.string().nullable(),
  client_id: z.string(),
  client_secret: z.string().nullable(),
  scopes: z.array(z.string()),
  attribute_mapping: AttributeMapping,
  icon_url: z.string().nullable(),
  button_label: z.string().nullable(),
  store_upstream_tokens: z.boolean(),
  apple: z.object({ team_id: z.string(), key_id: z.string(), private_key: z.string() }).nullable(),
  endpoints: ProviderEndpoints,
});

/** `GET /internal/v1/tenants/{tenant}/identity-providers`. */
export const InternalIdentityProviderList = z.object({ data: z.array(InternalIdentityProvider) });

export type IdentityProviderType = (typeof IDENTITY_PROVIDER_TYPES)[number];
export type InternalIdentityProvider = z.output<typeof InternalIdentityProvider>;
export type InternalIdentityProviderList = z.output<typeof InternalIdentityProviderList>;
