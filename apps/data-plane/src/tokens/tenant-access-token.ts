import { verifyAccessToken, type AccessTokenClaims } from '@hellojohn/tokens';
import type { Keyring } from '../keys/keyring';
import type { TenantContext } from '../tenancy/tenant-context';
import { audienceOf } from './session-tokens';

/**
 * Verifies `token` as an access token of `tenant`: its signature with one of the tenant's keys,
 * `typ`, `iss`, `aud` and `exp`, then its `tid`. Returns the claims, or `undefined` for a valid
 * token of another tenant; a token that is not valid at all throws `TokenError`. Whether what
 * issued it still stands (a session, a client) is the caller's to check.
 */
export async function verifyTenantAccessToken(
  keyring: Keyring,
  tenant: TenantContext,
  token: string,
): Promise<AccessTokenClaims | undefined> {
  const claims = await verifyAccessToken(token, {
    issuer: tenant.config.issuer,
    audience: audienceOf(tenant),
    keys: (kid) => keyring.publicKey(tenant.db, kid),
  });
  return claims.tid === tenant.config.id ? claims : undefined;
}
