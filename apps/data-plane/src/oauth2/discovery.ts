import type { RequestHandler } from 'express';
import { tenantOf } from '../tenancy/tenant-context';

/** `GET /t/{tenant}/.well-known/openid-configuration` (OpenID Connect Discovery 1.0 §4). */
export const openidConfiguration: RequestHandler = function openidConfiguration(_req, res) {
  const issuer = tenantOf(res).config.issuer;
  res.setHeader('Cache-Control', 'public, max-age=300');
  res.json({
    issuer,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    // TODO(oidc issue): authorization/token/userinfo endpoints are announced once they exist.
    subject_types_supported: ['public'],
    response_types_supported: ['code'],
    id_token_signing_alg_values_supported: ['EdDSA'],
  });
};
