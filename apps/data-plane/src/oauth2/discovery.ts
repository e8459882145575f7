import type { Request, RequestHandler, Response } from 'express';
import { JWKS_MAX_AGE_SECONDS } from '../keys/key-schedule';
import { sendStaticJson, staticJsonCache } from '../keys/static-json';
import type { TenantConfig } from '../tenancy/tenant-config';
import { tenantOf } from '../tenancy/tenant-context';
import { authMethodsOf } from './authenticate-client';
import { GRANTS, GRANT_TYPES_SUPPORTED } from './grants';
import { ACR_MULTI_FACTOR, ACR_SINGLE_FACTOR } from '../tokens/authentication-context';

const TOKEN_ENDPOINT_AUTH_METHODS = authMethodsOf(
  GRANTS.some((grant) => grant.clientTypes.includes('public')) ? 'any' : 'confidential',
);

/** What the authorization endpoint grants: OIDC's user scopes (client scopes are per client). */
const SCOPES_SUPPORTED = ['openid', 'profile', 'email', 'offline_access', 'organization'];

/** Every claim an ID token or userinfo may carry (OIDC Discovery §3 `claims_supported`). */
const CLAIMS_SUPPORTED = [
  'sub',
  'iss',
  'aud',
  'exp',
  'iat',
  'auth_time',
  'nonce',
  'at_hash',
  'azp',
  'amr',
  'acr',
  'sid',
  'name',
  'updated_at',
  'email',
  'email_verified',
  // The `organization` scope (docs/organizations.md).
  'org_id',
  'org_role',
  'organizations',
  'organizations_ref',
];

/**
 * The tenant's authorization server metadata (RFC 8414 §2), which OpenID Connect Discovery 1.0 §3
 * extends: only what exists and works. No `userinfo_signing_alg_values_supported`: userinfo
 * answers plain JSON. No `claims`, `request` or `request_uri` parameters (OIDC Discovery §3
 * defaults the last to true, so it is said explicitly).
 */
function metadataOf(issuer: string): Record<string, unknown> {
  return {
    issuer,
    authorization_endpoint: `${issuer}/oauth2/authorize`,
    token_endpoint: `${issuer}/oauth2/token`,
    userinfo_endpoint: `${issuer}/userinfo`,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    end_session_endpoint: `${issuer}/oauth2/end-session`,
    scopes_supported: SCOPES_SUPPORTED,
    response_types_supported: ['code'],
    response_modes_supported: ['query', 'form_post'],
    grant_types_supported: GRANT_TYPES_SUPPORTED,
    subject_types_supported: ['public'],
    // Some resource servers (express-oauth2-jwt-bearer) take this list as the allowed algorithms of
    // access tokens too; it holds every one a tenant signs with.
    id_token_signing_alg_values_supported: ['RS256', 'EdDSA', 'ES256'],
    token_endpoint_auth_methods_supported: TOKEN_ENDPOINT_AUTH_METHODS,
    claims_supported: CLAIMS_SUPPORTED,
    code_challenge_methods_supported: ['S256'],
    prompt_values_supported: ['none', 'login', 'consent'],
    // `acr_values` with loa:2 (or PAPE's multi-factor policy) asks for a second factor (docs/mfa.md).
    acr_values_supported: [ACR_SINGLE_FACTOR, ACR_MULTI_FACTOR],
    authorization_response_iss_parameter_supported: true,
    claims_parameter_supported: false,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    introspection_endpoint: `${issuer}/oauth2/introspect`,
    introspection_endpoint_auth_methods_supported: authMethodsOf('confidential'),
    revocation_endpoint: `${issuer}/oauth2/revoke`,
    revocation_endpoint_auth_methods_supported: authMethodsOf('any'),
  };
}

// Cached as long as the JWKS: both change only when the tenant's configuration does.
const CACHE_CONTROL = `public, max-age=${JWKS_MAX_AGE_SECONDS}`;

/**
 * One document per cached tenant configuration (the metadata depends on its issuer only), built
 * on its first request: a refreshed or invalidated configuration is a new object with a new one.
 */
const documentOf = staticJsonCache((config: TenantConfig) => metadataOf(config.issuer));

function sendMetadata(req: Request, res: Response): void {
  sendStaticJson(req, res, documentOf(tenantOf(res).config), CACHE_CONTROL);
}

/** `GET /t/{tenant}/.well-known/openid-configuration` (OpenID Connect Discovery 1.0 §4). */
export const openidConfiguration: RequestHandler = function openidConfiguration(req, res) {
  sendMetadata(req, res);
};

/**
 * `GET /.well-known/oauth-authorization-server/t/{tenant}`: RFC 8414 §3 puts the well-known
 * segment between the host and the issuer's path, so OAuth-only clients find the same document.
 */
export const authorizationServerMetadata: RequestHandler = function authorizationServerMetadata(
  req,
  res,
) {
  sendMetadata(req, res);
};
