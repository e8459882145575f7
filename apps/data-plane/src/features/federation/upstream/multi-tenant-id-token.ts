import { timingSafeEqual } from 'node:crypto';
import { UpstreamError } from './upstream-types';

/** Microsoft's multi-tenant discovery names its issuer with this placeholder for the directory. */
const TENANT_PLACEHOLDER = '{tenantid}';

/** A directory id is a GUID: anything else never reaches the issuer comparison. */
const DIRECTORY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Clock tolerance on `exp`, as openid-client's default. */
const TOLERANCE_S = 30;

/** Whether a discovered issuer is a template (Microsoft `common`/`organizations`/`consumers`). */
export const isIssuerTemplate = (issuer: string): boolean => issuer.includes(TENANT_PLACEHOLDER);

/**
 * Whether a discovered issuer belongs to the configured Microsoft endpoint: the template with the
 * configured segment (`common`, ...) substituted is the configured issuer itself.
 */
export function templateMatches(template: string, configured: string): boolean {
  const segment = /\/([^/]+)\/v2\.0\/?$/.exec(new URL(configured).pathname)?.[1];
  return (
    segment !== undefined &&
    template.replaceAll(TENANT_PLACEHOLDER, segment).replace(/\/+$/, '') ===
      configured.replace(/\/+$/, '')
  );
}

const sameString = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

const decodePart = (part: string | undefined): Record<string, unknown> => {
  const value: unknown = JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error();
  return value as Record<string, unknown>;
};

/**
 * The ID-token check of a multi-tenant Microsoft provider, whose issuer depends on the user's
 * directory: `iss` must equal the discovery's template with the token's own `tid` substituted
 * (and `tid` must be there, a GUID), besides `aud`/`azp`, `exp`, `iat`, `sub` and `nonce`.
 * openid-client compares `iss` with one fixed issuer (its own Entra exception only applies to the
 * real login.microsoftonline.com origin and offers no hook), hence this hand-written check.
 * The token comes straight from the token endpoint over TLS in the code exchange, so, like
 * openid-client for every provider (OIDC Core 3.1.3.7 step 6), its signature is not re-checked.
 */
export function checkMultiTenantIdToken(
  idToken: string | undefined,
  expected: { issuerTemplate: string; clientId: string; nonce: string },
  now: Date = new Date(),
): Record<string, unknown> {
  const fail = (why: string) => new UpstreamError('failed', `ID token refused: ${why}`);
  if (idToken === undefined) throw fail('no ID token');
  const parts = idToken.split('.');
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    if (parts.length !== 3) throw new Error();
    header = decodePart(parts[0]);
    claims = decodePart(parts[1]);
  } catch {
    throw fail('not a JWS');
  }
  if (typeof header['alg'] !== 'string' || header['alg'] === 'none') throw fail('unsigned');
  const tid = claims['tid'];
  if (typeof tid !== 'string' || !DIRECTORY_ID.test(tid)) throw fail('no directory id (tid)');
  const issuer = expected.issuerTemplate.replaceAll(TENANT_PLACEHOLDER, tid);
  if (typeof claims['iss'] !== 'string' || !sameString(claims['iss'], issuer)) {
    throw fail('issuer is not the directory of its tid');
  }
  const aud = claims['aud'];
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (!audiences.includes(expected.clientId)) throw fail('audience');
  if (audiences.length > 1 && claims['azp'] !== expected.clientId) throw fail('authorized party');
  const nowS = Math.floor(now.getTime() / 1000);
  if (typeof claims['exp'] !== 'number' || claims['exp'] <= nowS - TOLERANCE_S)
    throw fail('expired');
  if (typeof claims['iat'] !== 'number') throw fail('no iat');
  if (typeof claims['sub'] !== 'string' || claims['sub'] === '') throw fail('no subject');
  if (typeof claims['nonce'] !== 'string' || !sameString(claims['nonce'], expected.nonce)) {
    throw fail('nonce');
  }
  return claims;
}
