import { customClaimsSchema, tenantSettingsSchema } from '@hellojohn/config';
import { pageOf, pageQuery, safeText } from '@hellojohn/http';
import {
  CLIENT_TYPES,
  GRANT_TYPES,
  ID_TOKEN_SIGNING_ALGS,
  TOKEN_ENDPOINT_AUTH_METHODS,
} from '@hellojohn/contracts';
import { z } from 'zod';
import { checkOrigin, MAX_ALLOWED_ORIGINS, MAX_ORIGIN_LENGTH } from './check-origin';
import {
  classifyRedirectUri,
  httpsUrlProblem,
  MAX_REDIRECT_URI_LENGTH,
  MAX_REDIRECT_URIS,
} from './check-redirect-uri';

const DEFAULT_SCOPES = ['openid', 'profile', 'email'];

/** Flags the second and later copies of a value, at their index. */
function uniqueItems<T>(items: T[], ctx: z.core.$RefinementCtx<T[]>): void {
  const seen = new Set<T>();
  items.forEach((item, index) => {
    if (seen.has(item)) ctx.addIssue({ code: 'custom', message: 'is a duplicate', path: [index] });
    seen.add(item);
  });
}

/**
 * An array of distinct `item`s: duplicates are refused (one issue per copy) and the JSON Schema,
 * so OpenAPI and the SDK, says `uniqueItems: true` (a refinement alone is invisible there). The
 * check and the keyword come from here together, so neither goes without the other.
 */
export function uniqueArray<T extends z.ZodType>(item: T) {
  return z.array(item).superRefine(uniqueItems).meta({ uniqueItems: true });
}

const ClientType = z
  .enum(CLIENT_TYPES)
  .describe('`confidential` clients get a secret; `public` clients (SPAs, native apps) do not.');

const GrantType = z.enum(GRANT_TYPES);

const RedirectUri = z
  .string()
  .min(1)
  .max(MAX_REDIRECT_URI_LENGTH)
  .superRefine((uri, ctx) => {
    // `.max()` already reported an over-long URI; one message per problem is enough.
    if (uri.length > MAX_REDIRECT_URI_LENGTH) return;
    const check = classifyRedirectUri(uri);
    if (!check.ok) ctx.addIssue({ code: 'custom', message: check.reason });
  });

const RedirectUris = uniqueArray(RedirectUri)
  .max(MAX_REDIRECT_URIS)
  .describe(
    'Exact-match redirect URIs: https, http on localhost/127.0.0.1/[::1], or (public clients) a private-use scheme.',
  );

const PostLogoutRedirectUris = uniqueArray(RedirectUri)
  .max(MAX_REDIRECT_URIS)
  .describe(
    'Exact-match URIs the end-session endpoint may send the browser back to; the rules of redirect_uris.',
  );

/** Checked and normalised (lower-cased, default port dropped) before duplicates are looked for. */
const AllowedOrigin = z
  .string()
  .min(1)
  .max(MAX_ORIGIN_LENGTH)
  .transform((value, ctx) => {
    const check = checkOrigin(value);
    if (check.ok) return check.origin;
    // `.max()` already reported an over-long origin; one message per problem is enough.
    if (value.length <= MAX_ORIGIN_LENGTH) ctx.addIssue({ code: 'custom', message: check.reason });
    return z.NEVER;
  });

const AllowedOrigins = uniqueArray(AllowedOrigin)
  .max(MAX_ALLOWED_ORIGINS)
  .describe(
    'Web origins allowed to call the token, userinfo and revocation endpoints and the JSON API from a browser (CORS): `https://host[:port]`, or http on localhost/127.0.0.1/[::1]; no path, no wildcard. Stored lower-case, without a default port.',
  );

const FirstParty = z
  .boolean()
  .describe('First-party clients (your own apps) skip the consent screen.');

// The bounds of the tenant settings of the same names, so a client can never ask for more.
const AccessTokenTtl = tenantSettingsSchema.shape.access_token_ttl
  .unwrap()
  .nullable()
  .describe("Seconds (60-86400); null: the tenant's access_token_ttl.");
const RefreshTokenTtl = tenantSettingsSchema.shape.refresh_token_ttl
  .unwrap()
  .nullable()
  .describe("Seconds (300-31536000); null: the tenant's refresh_token_ttl.");

const IdTokenAlg = z
  .enum(ID_TOKEN_SIGNING_ALGS)
  .describe('How ID tokens for this client are signed.');

const TokenEndpointAuthMethod = z
  .enum(TOKEN_ENDPOINT_AUTH_METHODS)
  .describe(
    'How the client authenticates at the token endpoint: `none` for public clients (their default), `client_secret_basic` (the default) or `client_secret_post` for confidential ones.',
  );

/** A page about the client, shown on the consent screen: https only. */
function displayUri(description: string) {
  return z
    .string()
    .min(1)
    .max(MAX_REDIRECT_URI_LENGTH)
    .superRefine((uri, ctx) => {
      if (uri.length > MAX_REDIRECT_URI_LENGTH) return;
      const problem = httpsUrlProblem(uri);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .describe(description);
}

const LogoUri = displayUri("The client's logo, shown on the consent screen (https).");
const ClientUri = displayUri("The client's home page, linked on the consent screen (https).");
const PolicyUri = displayUri("The client's privacy policy, linked on the consent screen (https).");
const TosUri = displayUri("The client's terms of service, linked on the consent screen (https).");

const CustomClaims = customClaimsSchema.describe(
  "Custom claims replacing the tenant's `custom_claims` for this client's user tokens (docs/apis.md#custom-claims); null: the tenant's.",
);

const GrantTypes = uniqueArray(GrantType)
  .min(1)
  .describe('`client_credentials` is for confidential clients only.');

/** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
export const ScopeToken = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, { error: 'must be a scope token (RFC 6749 §3.3)' });

const Scopes = uniqueArray(ScopeToken).max(100);

/** No NUL, no lone surrogate (docs/api.md, "Limits"). */
const ClientName = safeText().trim().min(1).max(200);

export const CreateClientBody = z.strictObject({
  name: ClientName,
  type: ClientType,
  redirect_uris: RedirectUris.default([]),
  grant_types: GrantTypes,
  scopes: Scopes.default(DEFAULT_SCOPES),
  allowed_origins: AllowedOrigins.default([]),
  post_logout_redirect_uris: PostLogoutRedirectUris.default([]),
  first_party: FirstParty.default(false),
  access_token_ttl: AccessTokenTtl.default(null),
  refresh_token_ttl: RefreshTokenTtl.default(null),
  id_token_signed_response_alg: IdTokenAlg.default('RS256'),
  // Its default depends on `type`: the service fills it in.
  token_endpoint_auth_method: TokenEndpointAuthMethod.optional(),
  logo_uri: LogoUri.nullable().default(null),
  client_uri: ClientUri.nullable().default(null),
  policy_uri: PolicyUri.nullable().default(null),
  tos_uri: TosUri.nullable().default(null),
  custom_claims: CustomClaims.nullable().default(null),
});

/**
 * `type` cannot change: a client that had a secret would keep a dangling one, and vice versa.
 * `null` clears a TTL (back to the tenant's) or a URI.
 */
export const UpdateClientBody = z
  .strictObject({
    name: ClientName.optional(),
    redirect_uris: RedirectUris.optional(),
    grant_types: GrantTypes.optional(),
    scopes: Scopes.optional(),
    allowed_origins: AllowedOrigins.optional(),
    post_logout_redirect_uris: PostLogoutRedirectUris.optional(),
    first_party: FirstParty.optional(),
    access_token_ttl: AccessTokenTtl.optional(),
    refresh_token_ttl: RefreshTokenTtl.optional(),
    id_token_signed_response_alg: IdTokenAlg.optional(),
    token_endpoint_auth_method: TokenEndpointAuthMethod.optional(),
    logo_uri: LogoUri.nullable().optional(),
    client_uri: ClientUri.nullable().optional(),
    policy_uri: PolicyUri.nullable().optional(),
    tos_uri: TosUri.nullable().optional(),
    custom_claims: CustomClaims.nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { error: 'must change at least one field' });

/** An empty body (or none): rotation takes no options, and a stray field is a mistake. */
export const RotateSecretBody = z.strictObject({}).optional();

export const TenantRef = z.string().min(1).max(63).describe('Tenant id or slug.');
const ClientId = z.string().min(1).max(128);

export const TenantClientsParams = z.strictObject({ tenant: TenantRef });
export const ClientParams = z.strictObject({ tenant: TenantRef, client_id: ClientId });
export const ListClientsQuery = pageQuery;

export const Client = z.object({
  client_id: z.string(),
  name: z.string(),
  type: ClientType,
  redirect_uris: z.array(z.string()),
  grant_types: z.array(GrantType),
  scopes: z.array(z.string()),
  allowed_origins: z.array(z.string()),
  post_logout_redirect_uris: z.array(z.string()),
  first_party: z.boolean(),
  access_token_ttl: z.number().int().nullable().describe("Seconds; null: the tenant's."),
  refresh_token_ttl: z.number().int().nullable().describe("Seconds; null: the tenant's."),
  id_token_signed_response_alg: z.enum(ID_TOKEN_SIGNING_ALGS),
  token_endpoint_auth_method: z.enum(TOKEN_ENDPOINT_AUTH_METHODS),
  logo_uri: z.string().nullable(),
  client_uri: z.string().nullable(),
  policy_uri: z.string().nullable(),
  tos_uri: z.string().nullable(),
  custom_claims: z.array(z.record(z.string(), z.unknown())).nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const CreatedClient = Client.extend({
  client_secret: z
    .string()
    .optional()
    .describe('Confidential clients only. Shown once: only its SHA-256 is stored.'),
});

export const ClientSecret = z.object({
  client_id: z.string(),
  client_secret: z.string().describe('Shown once: only its SHA-256 is stored.'),
});

export const ClientList = pageOf(Client);

export type CreateClientInput = z.output<typeof CreateClientBody>;
export type UpdateClientInput = z.output<typeof UpdateClientBody>;
export type ListClientsInput = z.output<typeof ListClientsQuery>;
export type ClientView = z.input<typeof Client>;
export type CreatedClientView = z.input<typeof CreatedClient>;
export type ClientSecretView = z.input<typeof ClientSecret>;
