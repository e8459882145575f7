import type { RequestHandler } from 'express';
import { tenantOf } from '../tenancy/tenant-context';
import { JWKS_MAX_AGE_SECONDS } from './key-schedule';
import type { Keyring } from './keyring';

/** `GET /t/{tenant}/.well-known/jwks.json`: the tenant's published keys. */
export function jwksRoute(keyring: Keyring): RequestHandler {
  return async function tenantJwks(_req, res) {
    // Key rotation waits this long before a new key signs (key-schedule.ts).
    res.setHeader('Cache-Control', `public, max-age=${JWKS_MAX_AGE_SECONDS}`);
    res.json(await keyring.jwks(tenantOf(res).db));
  };
}
