import type { RequestHandler, Response } from 'express';
import { JWKS_MAX_AGE_SECONDS } from '../keys/key-schedule';
import { tenantOf } from '../tenancy/tenant-context';
import { authMethodsOf } from './authenticate-client';
import { GRANTS, GRANT_TYPES_SUPPORTED } from './grants';

/**
 * The token endpoint takes `none` only once some grant serves public clients (authorization_code
 * with PKCE, refresh_token); today client_credentials alone, for confidential clients.
 */
const TOKEN_ENDPOINT_AUTH_METHODS = authMethodsOf(
  GRANTS.some((grant) => grant.clientTypes.includes('public')) ? 'any' : 'confidential',
);

/**
 * The tenant's authorization server metadata (RFC 8414 §2), which OpenID Connect Discovery 1.0 §3
 * extends: only what exists and works today. `authorization_endpoint`, `userinfo_endpoint`,
 * `end_session_endpoint`, `code_challenge_methods_supported` and the ID-token members come with
 * the authorization endpoint (docs/oidc.md, "Coming next"). `response_types_supported` is required
 * by both specifications, and is empty while no response type is served; likewise the ID-token
 * algorithms while no ID token is issued.
 */
function metadataOf(issuer: string): Record<string, unknown> {
  return {
    issuer,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    token_endpoint: `${issuer}/oauth2/token`,
    token_endpoint_auth_methods_supported: TOKEN_ENDPOINT_AUTH_METHODS,
    grant_types_supported: GRANT_TYPES_SUPPORTED,
    introspection_endpoint: `${issuer}/oauth2/introspect`,
    introspection_endpoint_auth_methods_supported: authMethodsOf('confidential'),
    revocation_endpoint: `${issuer}/oauth2/revoke`,
    revocation_endpoint_auth_methods_supported: authMethodsOf('any'),
    response_types_supported: [],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [],
    // OIDC Discovery §3 defaults this to true; nothing here takes a request_uri.
    request_uri_parameter_supported: false,
  };
}

function sendMetadata(res: Response): void {
  // Cached as long as the JWKS: both change only when the tenant's configuration does.
  res.setHeader('Cache-Control', `public, max-age=${JWKS_MAX_AGE_SECONDS}`);
  res.json(metadataOf(tenantOf(res).config.issuer));
}

/** `GET /t/{tenant}/.well-known/openid-configuration` (OpenID Connect Discovery 1.0 §4). */
export const openidConfiguration: RequestHandler = function openidConfiguration(_req, res) {
  sendMetadata(res);
};

/**
 * `GET /.well-known/oauth-authorization-server/t/{tenant}`: RFC 8414 §3 puts the well-known
 * segment between the host and the issuer's path, so OAuth-only clients find the same document.
 */
export const authorizationServerMetadata: RequestHandler = function authorizationServerMetadata(
  _req,
  res,
) {
  sendMetadata(res);
};
