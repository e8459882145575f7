import { Router } from 'express';
import { JWKS_MAX_AGE_SECONDS } from '../keys/key-schedule';
import type { Keyring } from '../services/keyring';
import { tenantOf } from '../tenancy/tenant-context';

/** Per-tenant discovery documents, under `/t/{tenant}` only. */
export function wellKnownRoutes(keyring: Keyring): Router {
  const router = Router({ mergeParams: true });
  router.get('/.well-known/jwks.json', async function tenantJwks(_req, res) {
    // Key rotation waits this long before a new key signs (keys/key-schedule.ts).
    res.setHeader('Cache-Control', `public, max-age=${JWKS_MAX_AGE_SECONDS}`);
    res.json(await keyring.jwks(tenantOf(res).db));
  });
  router.get('/.well-known/openid-configuration', function openidConfiguration(_req, res) {
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
  });
  return router;
}
