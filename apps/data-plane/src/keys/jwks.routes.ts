import type { Jwks } from '@hellojohn/tokens';
import type { RequestHandler } from 'express';
import { tenantOf } from '../tenancy/tenant-context';
import { JWKS_MAX_AGE_SECONDS } from './key-schedule';
import type { Keyring } from './keyring';
import { sendStaticJson, staticJsonCache } from './static-json';

/**
 * Verifiers may keep the JWKS this long; key rotation publishes a key longer than that before it
 * signs (key-schedule.ts), so no `stale-while-revalidate` or `stale-if-error` is added: either
 * would let a verifier keep a key set past the window the schedule counts on.
 */
const CACHE_CONTROL = `public, max-age=${JWKS_MAX_AGE_SECONDS}`;

/**
 * `GET /t/{tenant}/.well-known/jwks.json`: the tenant's published keys. The document (bytes and
 * ETag) is built once per key set the keyring caches, so a rotation on this replica (which drops
 * that cache) is published on the next request.
 */
export function jwksRoute(keyring: Keyring): RequestHandler {
  const documentOf = staticJsonCache((jwks: Jwks) => jwks);
  return async function tenantJwks(req, res) {
    sendStaticJson(req, res, documentOf(await keyring.jwks(tenantOf(res).db)), CACHE_CONTROL);
  };
}
