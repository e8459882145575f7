import type { AccessTokenClaims, Jwks } from '@hellojohn/tokens';
import type { Keyring } from '../keys/keyring';
import type { TenantContext } from '../tenancy/tenant-context';
import { verifyTenantAccessToken } from '../tokens/tenant-access-token';

/** The longest a verification is reused (it also ends at the token's `exp`, and with its key set). */
const VERIFIED_TOKEN_CACHE_MS = 60_000;

interface Verified {
  claims: Readonly<AccessTokenClaims>;
  /** The tenant context and key set it was checked against: a new one of either voids it. */
  tenant: TenantContext;
  jwks: Jwks;
  until: number;
}

export interface VerifiedTokenCache {
  /**
   * `verifyTenantAccessToken` with the tenant's own audience, answered from memory when this exact
   * token was verified for this tenant against the key set the keyring holds now.
   */
  verify(
    keyring: Keyring,
    tenant: TenantContext,
    token: string,
  ): Promise<AccessTokenClaims | undefined>;
}

/**
 * A client sends the same access token with every call until it expires; its signature check
 * (a WebCrypto job per request) was a quarter of `GET /v1/me`'s CPU. A verification depends only
 * on the token's bytes, the tenant (issuer, audience, id) and its published keys, so the claims of
 * a token verified once are reused while all three are the same objects: the tenant's cached
 * configuration (a refresh or an invalidation makes a new one), the keyring's key set (reloaded
 * at least every minute and dropped by a rotation), and never past the token's `exp` (without the
 * verifier's clock tolerance) or {@link VERIFIED_TOKEN_CACHE_MS}. Tokens that fail are not kept:
 * they are checked in full every time. Whether the session still stands is checked after this,
 * on every request. At most `maxEntries` tokens are kept (the oldest go first).
 */
export function createVerifiedTokenCache(
  options: { maxEntries?: number; now?: () => number } = {},
): VerifiedTokenCache {
  const maxEntries = options.maxEntries ?? 50_000;
  const now = options.now ?? Date.now;
  const verified = new Map<string, Verified>();

  return {
    async verify(keyring, tenant, token) {
      const jwks = await keyring.jwks(tenant.db);
      const hit = verified.get(token);
      if (hit && hit.tenant === tenant && hit.jwks === jwks && now() < hit.until) {
        return hit.claims;
      }
      const claims = await verifyTenantAccessToken(keyring, tenant, token);
      if (claims === undefined) return undefined;
      const frozen = Object.freeze(claims);
      // Kept only when the key set did not change during the check (a reload for an unknown
      // kid, a rotation): the next request then verifies in full against the new one.
      if ((await keyring.jwks(tenant.db)) !== jwks) return frozen;
      verified.delete(token);
      verified.set(token, {
        claims: frozen,
        tenant,
        jwks,
        until: Math.min(claims.exp * 1000, now() + VERIFIED_TOKEN_CACHE_MS),
      });
      if (verified.size > maxEntries) {
        const oldest = verified.keys().next();
        if (!oldest.done) verified.delete(oldest.value);
      }
      return frozen;
    },
  };
}
