import { z } from 'zod';
import { AuthorizationView } from '../authorization/authorization-claims';

/**
 * `/t/{tenant}`: OAuth endpoints belong to one issuer, so they are served under its path only.
 * `resolveTenant` has checked the value before the endpoint parses it.
 */
export const TenantPath = z.object({
  tenant: z.string().min(1).max(63).describe('Tenant slug or id: the issuer is `/t/{slug}`.'),
});

/**
 * Client authentication in the body (`client_secret_post`, or `none` for a public client),
 * RFC 6749 §2.3.1. Unknown parameters are ignored (§3.1), so every OAuth body is a loose object.
 */
export const ClientCredentialsInBody = {
  client_id: z
    .string()
    .optional()
    .describe('The client, when it does not authenticate with HTTP Basic (RFC 6749 §2.3.1).'),
  client_secret: z
    .string()
    .optional()
    .describe('`client_secret_post`: the secret in the body instead of HTTP Basic.'),
};

/** RFC 6749 §5.1. */
export const TokenResponse = z.object({
  access_token: z.string().describe('An RFC 9068 JWT (`typ: at+jwt`), EdDSA-signed.'),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int().positive().describe('Seconds until the access token expires.'),
  scope: z
    .string()
    .optional()
    .describe('The granted scopes, space-separated; absent when none were granted.'),
  refresh_token: z
    .string()
    .optional()
    .describe(
      'Opaque, single use (each refresh returns its successor). Issued to clients registered for `refresh_token` when the granted scope has `offline_access`.',
    ),
  id_token: z
    .string()
    .optional()
    .describe(
      'OpenID Connect ID token (a JWT, RS256 unless the client registered EdDSA) when the granted scope has `openid`.',
    ),
});

export type TokenResponse = z.input<typeof TokenResponse>;

const TokenTypeHint = z
  .string()
  .optional()
  .describe(
    '`access_token` or `refresh_token`. Advisory: a token is found whatever the hint says, and an unknown hint is ignored.',
  );

/** RFC 7662 §2.1. */
export const IntrospectionRequest = z.object({
  token: z.string().describe('The access or refresh token to describe.'),
  token_type_hint: TokenTypeHint,
  ...ClientCredentialsInBody,
});

/**
 * RFC 7662 §2.2. An inactive token (unknown, expired, revoked, of another tenant, garbage) is
 * exactly `{"active": false}`.
 */
export const IntrospectionResponse = z.object({
  active: z.boolean(),
  scope: z.string().optional(),
  client_id: z.string().optional().describe('The client the token was issued to, when known.'),
  sub: z.string().optional().describe('A user id, or the client id of a client_credentials token.'),
  exp: z.number().int().optional(),
  iat: z.number().int().optional(),
  iss: z.string().optional(),
  aud: z.union([z.string(), z.array(z.string())]).optional(),
  tid: z.string().optional().describe('The tenant id.'),
  token_type: z.literal('Bearer').optional().describe('Access tokens only.'),
  jti: z.string().optional(),
  sid: z.string().optional().describe('The session behind a user token.'),
  ...AuthorizationView,
});

export type IntrospectionView = z.input<typeof IntrospectionResponse>;

/** RFC 7009 §2.1. */
export const RevocationRequest = z.object({
  token: z.string().describe('The access or refresh token to revoke.'),
  token_type_hint: TokenTypeHint,
  ...ClientCredentialsInBody,
});
