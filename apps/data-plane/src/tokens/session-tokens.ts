import { randomUUID } from 'node:crypto';
import type { TenantDb } from '@hellojohn/dal';
import { generateRefreshToken, signAccessToken } from '@hellojohn/tokens';
import { audit } from '../audit/audit';
import type { RequestMeta } from '../audit/request-meta';
import { authorizationClaims, authorizationOf } from '../authorization/authorization-claims';
import type { Keyring } from '../keys/keyring';
import type { TenantContext } from '../tenancy/tenant-context';
import type { AuthenticationContext } from './authentication-context';
import { customClaimsOf } from './custom-claims';
import { recordDomainEvent, recordSessionsRevoked, signInMethodOf } from '../outbox';

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

/** The default audience of first-party tokens is the tenant's issuer (documented in docs/api.md). */
export function audienceOf(tenant: TenantContext): string {
  return tenant.config.issuer;
}

/** Issues access and refresh tokens for sessions. */
export function createSessionTokens(keyring: Keyring) {
  /**
   * `db` is the handle in use (a transaction's, inside one: SQLite has one connection). The
   * token carries the user's roles and permissions read now, and `org_id`/`org_role` while the
   * user is a member of `organizationId`, the session's active organization
   * (docs/organizations.md).
   */
  async function accessToken(
    db: TenantDb,
    tenant: TenantContext,
    userId: string,
    sessionId: string,
    auth?: AuthenticationContext,
    organizationId: string | null = null,
  ) {
    const key = await keyring.signingKey(db, tenant.policy.accessTokenAlg);
    const authorization = await authorizationOf(db, userId, organizationId);
    const custom = await customClaimsOf(db, tenant.policy.customClaims, ['access'], {
      user: userId,
      authorization: () => Promise.resolve(authorization),
    });
    return signAccessToken(key, {
      issuer: tenant.config.issuer,
      audience: audienceOf(tenant),
      subject: userId,
      tenantId: tenant.config.id,
      sessionId,
      scope: 'openid profile email',
      ttlSeconds: tenant.policy.accessTokenTtlSeconds,
      ...(auth && auth.amr.length > 0 ? { amr: auth.amr } : {}),
      ...(auth?.acr ? { acr: auth.acr } : {}),
      extra: { ...custom.access, ...authorizationClaims(authorization) },
    });
  }

  /**
   * Stores a refresh token (a new one unless `generated` is given) expiring at `expiresAt`,
   * default now + the tenant's refresh TTL.
   */
  async function refreshToken(
    db: TenantDb,
    tenant: TenantContext,
    sessionId: string,
    parentId: string | null,
    id: string = randomUUID(),
    options: { generated?: { token: string; hash: string }; expiresAt?: Date } = {},
  ): Promise<{ id: string; token: string }> {
    const { token, hash } = options.generated ?? generateRefreshToken();
    await db.refreshTokens.create({
      id,
      sessionId,
      tokenHash: hash,
      parentId,
      expiresAt:
        options.expiresAt ?? new Date(Date.now() + tenant.policy.refreshTokenTtlSeconds * 1000),
    });
    return { id, token };
  }

  /** A new access token for the session (repeating how it was authenticated), paired with `refreshToken`. */
  async function pair(
    db: TenantDb,
    tenant: TenantContext,
    userId: string,
    sessionId: string,
    refresh: string,
    auth?: AuthenticationContext,
    organizationId: string | null = null,
  ): Promise<TokenPair> {
    const access = await accessToken(db, tenant, userId, sessionId, auth, organizationId);
    return {
      access_token: access.token,
      refresh_token: refresh,
      token_type: 'Bearer',
      expires_in: tenant.policy.accessTokenTtlSeconds,
    };
  }

  return {
    /**
     * Starts a session and returns its first token pair. The user keeps at most the tenant's
     * `max_sessions_per_user` live sessions: past it, the least recently used end
     * (`session_limit`), never the one just started. `auth` (how the user authenticated) is
     * stored on the session, so every access token of it, refreshed ones too, carries it.
     */
    async startSession(
      db: TenantDb,
      tenant: TenantContext,
      userId: string,
      meta: RequestMeta,
      auth?: AuthenticationContext,
    ): Promise<TokenPair> {
      const sessionId = randomUUID();
      // The session and its `user.signed_in` event commit together (docs/webhooks.md).
      await db.transaction(async (tx) => {
        await tx.sessions.create({
          id: sessionId,
          userId,
          expiresAt: new Date(Date.now() + tenant.policy.refreshTokenTtlSeconds * 1000),
          userAgent: meta.userAgent?.slice(0, 512) ?? null,
          ip: meta.ip ?? null,
          amr: auth && auth.amr.length > 0 ? auth.amr : null,
          acr: auth?.acr ?? null,
        });
        await recordDomainEvent(tx, 'user.signed_in', {
          user_id: userId,
          session_id: sessionId,
          method: signInMethodOf(auth?.amr),
        });
      });
      const keep = tenant.policy.maxSessionsPerUser;
      // Under the cap (the usual case) one read settles it, without the cap's locking
      // transaction; a sign-in racing this one is at worst left to the next sign-in's check.
      const overCap = await db.sessions.hasActiveBeyond(userId, keep);
      const ended = !overCap
        ? 0
        : await db.transaction(async (tx) => {
            const ids = await tx.sessions.revokeLeastRecentlyUsedListed(userId, {
              keep,
              reason: 'session_limit',
              alwaysKeep: sessionId,
            });
            await recordSessionsRevoked(tx, userId, ids, 'session_limit');
            return ids.length;
          });
      if (ended > 0) {
        await audit(db, meta, {
          action: 'session.revoked',
          outcome: 'success',
          userId,
          details: { reason: 'session_limit', count: ended },
        });
      }
      const refresh = await refreshToken(db, tenant, sessionId, null);
      const access = await accessToken(db, tenant, userId, sessionId, auth);
      return {
        access_token: access.token,
        refresh_token: refresh.token,
        token_type: 'Bearer',
        expires_in: tenant.policy.accessTokenTtlSeconds,
      };
    },
    accessToken,
    refreshToken,
    pair,
  };
}

export type SessionTokens = ReturnType<typeof createSessionTokens>;
