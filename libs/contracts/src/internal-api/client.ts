import { z } from 'zod';
import { pageOf } from '../page';

export const CLIENT_TYPES = ['public', 'confidential'] as const;
export const GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials'] as const;
/** How a client authenticates at the token endpoint (RFC 7591 §2): `none` is for public clients only. */
export const TOKEN_ENDPOINT_AUTH_METHODS = [
  'client_secret_basic',
  'client_secret_post',
  'none',
] as const;
/** Algorithms a client may ask its ID tokens to be signed with; RS256 is the OIDC default. */
export const ID_TOKEN_SIGNING_ALGS = ['RS256', 'EdDSA', 'ES256'] as const;

/**
 * An OAuth client as the data plane reads it from `GET /internal/v1/tenants/{tenant}/clients/{id}`:
 * its public configuration plus the SHA-256 it compares presented secrets against.
 *
 * Fields added after the first release carry defaults, so a data plane upgraded before its control
 * plane still parses the older answers (unknown fields are stripped, for the opposite order).
 */
export const InternalClient = z
  .object({
    client_id: z.string(),
    tenant_id: z.string(),
    name: z.string(),
    type: z.enum(CLIENT_TYPES),
    redirect_uris: z.array(z.string()),
    grant_types: z.array(z.enum(GRANT_TYPES)),
    scopes: z.array(z.string()),
    secret_hash: z.string().nullable().describe('SHA-256 hex of the secret; null for public.'),
    allowed_origins: z
      .array(z.string())
      .default([])
      .describe('Web origins (`https://app.example.com`, lower-case, no path) allowed by CORS.'),
    post_logout_redirect_uris: z.array(z.string()).default([]),
    first_party: z
      .boolean()
      .default(false)
      .describe('First-party clients skip the consent screen.'),
    access_token_ttl: z
      .number()
      .int()
      .positive()
      .nullable()
      .default(null)
      .describe("Seconds; null: the tenant's access_token_ttl."),
    refresh_token_ttl: z
      .number()
      .int()
      .positive()
      .nullable()
      .default(null)
      .describe("Seconds; null: the tenant's refresh_token_ttl."),
    id_token_signed_response_alg: z.enum(ID_TOKEN_SIGNING_ALGS).default('RS256'),
    token_endpoint_auth_method: z.enum(TOKEN_ENDPOINT_AUTH_METHODS).optional(),
    logo_uri: z.string().nullable().default(null),
    client_uri: z.string().nullable().default(null),
    policy_uri: z.string().nullable().default(null),
    tos_uri: z.string().nullable().default(null),
    custom_claims: z
      .array(z.record(z.string(), z.unknown()))
      .nullable()
      .default(null)
      .describe("Custom-claim rules replacing the tenant's for this client; null: the tenant's."),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .transform((client) => ({
    ...client,
    token_endpoint_auth_method:
      client.token_endpoint_auth_method ?? defaultTokenEndpointAuthMethod(client.type),
  }));

/** `GET /internal/v1/tenants/{tenant}/clients`. */
export const InternalClientPage = pageOf(InternalClient);

export type InternalClient = z.output<typeof InternalClient>;
export type InternalClientPage = z.infer<typeof InternalClientPage>;
export type ClientType = (typeof CLIENT_TYPES)[number];
export type GrantType = (typeof GRANT_TYPES)[number];
export type TokenEndpointAuthMethod = (typeof TOKEN_ENDPOINT_AUTH_METHODS)[number];
export type IdTokenSigningAlg = (typeof ID_TOKEN_SIGNING_ALGS)[number];

/**
 * The method a client of `type` authenticates with unless it registered another: public clients
 * have no secret (`none`); confidential ones send it with HTTP Basic (RFC 6749 §2.3.1).
 *
 * @example
 * defaultTokenEndpointAuthMethod('public'); // 'none'
 */
export function defaultTokenEndpointAuthMethod(type: ClientType): TokenEndpointAuthMethod {
  return type === 'public' ? 'none' : 'client_secret_basic';
}

/**
 * Narrows a stored grant-type string to the contract's union (rows keep plain strings).
 *
 * @example
 * row.grantTypes.filter(isGrantType);
 */
export function isGrantType(value: string): value is GrantType {
  return (GRANT_TYPES as readonly string[]).includes(value);
}
