import { storeCall, type LimiterStore } from '@hellojohn/abuse';
import { AppError } from '@hellojohn/http';

/**
 * Access tokens revoked before they expire, by `jti`, for the tokens no session stands behind
 * (client_credentials). Entries expire with the token. Only this server's introspection reads the
 * list: a resource server that verifies tokens locally accepts a revoked one until its `exp`
 * (docs/oidc.md, "Revocation").
 */
export interface RevokedTokens {
  revoke(tenantId: string, jti: string, expiresAt: Date): Promise<void>;
  isRevoked(tenantId: string, jti: string): Promise<boolean>;
}

// Kept a little past `exp`, so a verifier that allows for clock skew never sees it alive again.
const SKEW_SECONDS = 60;
// An upper bound only: every entry is written with the seconds its own token has left.
const LONGEST_SECONDS = 7 * 24 * 3600;

function unavailable(cause: unknown): AppError {
  return new AppError('service_unavailable', 'Token revocation cannot be checked; try again.', {
    cause,
    headers: { 'Retry-After': '5' },
  });
}

/**
 * The revocation list over the rate limits' store: Redis when `HJ_REDIS_URL` is set (shared by
 * every replica), else this process's memory. An entry is a "blocked" key of a one-point limiter,
 * which both stores expire by themselves. A store that cannot answer in time fails closed (503).
 *
 * @example
 * const revoked = createRevokedTokens(limits.store, { keyPrefix: 'hj' });
 * await revoked.revoke(tenant.id, claims.jti, new Date(claims.exp * 1000));
 */
export function createRevokedTokens(
  store: LimiterStore,
  options: { keyPrefix: string; now?: () => number },
): RevokedTokens {
  const limiter = store.limiter(`${options.keyPrefix}:revoked-jti`, 1, LONGEST_SECONDS);
  const now = options.now ?? Date.now;
  return {
    async revoke(tenantId, jti, expiresAt) {
      const seconds = Math.ceil((expiresAt.getTime() - now()) / 1000) + SKEW_SECONDS;
      if (seconds <= SKEW_SECONDS) return;
      try {
        await storeCall(limiter.block(`${tenantId}:${jti}`, Math.min(seconds, LONGEST_SECONDS)));
      } catch (error) {
        throw unavailable(error);
      }
    },
    async isRevoked(tenantId, jti) {
      try {
        const entry = await storeCall(limiter.get(`${tenantId}:${jti}`));
        return entry !== null && entry.consumedPoints > 0;
      } catch (error) {
        throw unavailable(error);
      }
    },
  };
}
