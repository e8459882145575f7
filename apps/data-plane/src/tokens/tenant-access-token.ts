import { ACCESS_TOKEN_ALGS, verifyAccessToken, type AccessTokenClaims } from '@hellojohn/tokens';
import type { Keyring } from '../keys/keyring';
import type { TenantContext } from '../tenancy/tenant-context';
import { audienceOf } from './session-tokens';

/**
 * Verifies `token` as an access token of `tenant`: its signature with one of the tenant's keys
 * (EdDSA, RS256 or ES256), `typ`, `iss`, `aud` and `exp`, then its `tid`. Returns the claims, or
 * `undefined` for a valid token of another tenant; a token that is not valid at all throws
 * `TokenError`. Whether what issued it still stands (a session, a client) is the caller's to check.
 * `audiences`: the `aud` values accepted, by default the tenant's own (first-party routes and
 * userinfo refuse tokens meant for one of its APIs; introspection accepts those too).
 */
export async function verifyTenantAccessToken(
  keyring: Keyring,
  tenant: TenantContext,
  token: string,
  audiences: readonly string[] = [audienceOf(tenant)],
): Promise<AccessTokenClaims | undefined> {
  const claims = await verifyAccessToken(token, {
    issuer: tenant.config.issuer,
    audience: [...audiences],
    keys: (kid) => keyring.publicKey(tenant.db, kid),
    // Whatever `access_token_alg` says now, tokens signed before a change stay valid; each key's
    // own `alg` still decides how its tokens are checked.
    algorithms: [...ACCESS_TOKEN_ALGS],
  });
  return claims.tid === tenant.config.id ? claims : undefined;
}
