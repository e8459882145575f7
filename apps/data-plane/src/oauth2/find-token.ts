import type { RefreshTokenRow, SessionRow } from '@hellojohn/dal';
import { hashRefreshToken, TokenError, type AccessTokenClaims } from '@hellojohn/tokens';
import type { Keyring } from '../keys/keyring';
import type { TenantContext } from '../tenancy/tenant-context';
import { audienceOf } from '../tokens/session-tokens';
import { verifyTenantAccessToken } from '../tokens/tenant-access-token';
import type { ResourceCatalogue } from './resource-catalogue';

/** A token this tenant issued and that is still within its lifetime, as stored or signed. */
export type FoundToken =
  | {
      kind: 'access_token';
      claims: AccessTokenClaims;
      /** The client it was issued to (`client_id` claim); absent on first-party user tokens. */
      clientId: string | undefined;
    }
  | { kind: 'refresh_token'; row: RefreshTokenRow; session: SessionRow | undefined };

/** A compact JWS has three base64url parts; anything else cannot be one of our access tokens. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const REFRESH_TOKEN_PREFIX = 'hjrt_';

/**
 * Finds `token` among the request tenant's tokens, by its shape: an access token is verified
 * (signature with this tenant's keys, `typ`, `iss`, `aud`, `exp`, and `tid`), a refresh token is
 * looked up by its hash in this tenant's database. Another tenant's token, an expired one,
 * garbage: `undefined`. The shapes do not overlap, so `token_type_hint` (RFC 7662 §2.1, RFC 7009
 * §2.1) is never needed to find a token, only to look in the right place first.
 */
export function createTokenFinder(
  keyring: Keyring,
  resources: Pick<ResourceCatalogue, 'identifiers'>,
) {
  async function accessToken(
    tenant: TenantContext,
    token: string,
  ): Promise<FoundToken | undefined> {
    let claims: AccessTokenClaims | undefined;
    try {
      // The tenant's own audience or one of its APIs': every access token it issued.
      const audiences = [audienceOf(tenant), ...(await resources.identifiers(tenant.config.id))];
      claims = await verifyTenantAccessToken(keyring, tenant, token, audiences);
    } catch (error) {
      if (error instanceof TokenError) return undefined;
      throw error;
    }
    if (!claims) return undefined;
    const clientId = typeof claims.client_id === 'string' ? claims.client_id : undefined;
    return { kind: 'access_token', claims, clientId };
  }

  async function refreshToken(
    tenant: TenantContext,
    token: string,
    now: Date,
  ): Promise<FoundToken | undefined> {
    const row = await tenant.db.refreshTokens.findByHash(hashRefreshToken(token));
    if (!row || row.expiresAt <= now) return undefined;
    return {
      kind: 'refresh_token',
      row,
      session: await tenant.db.sessions.findById(row.sessionId),
    };
  }

  return async function findToken(
    tenant: TenantContext,
    token: string,
    now: Date = new Date(),
  ): Promise<FoundToken | undefined> {
    if (COMPACT_JWS.test(token)) return accessToken(tenant, token);
    if (token.startsWith(REFRESH_TOKEN_PREFIX)) return refreshToken(tenant, token, now);
    return undefined;
  };
}

export type FindToken = ReturnType<typeof createTokenFinder>;
