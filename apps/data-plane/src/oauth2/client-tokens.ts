import type { UserRow } from '@hellojohn/dal';
import { OAuthError } from '@hellojohn/http';
import { signAccessToken } from '@hellojohn/tokens';
import {
  authorizationClaims,
  authorizationOf,
  organizationScopeClaims,
} from '../authorization/authorization-claims';
import { claimRulesFor, customClaimsOf } from '../tokens/custom-claims';
import { audienceOf } from '../tokens/session-tokens';
import type { OAuthClient } from './client-directory';
import type { ApiResource } from './resource-catalogue';
import { userScopesFor } from './resource-indicator';
import type { GrantContext } from './grants/grant';
import { signIdToken } from './id-token';
import type { TokenResponse } from './oauth2.schemas';

/** The client's access-token lifetime (`access_token_ttl`), else the tenant's. */
export function accessTtlOf(client: OAuthClient, policy: { accessTokenTtlSeconds: number }) {
  return client.access_token_ttl ?? policy.accessTokenTtlSeconds;
}

/** The client's refresh-token lifetime (`refresh_token_ttl`), else the tenant's. */
export function refreshTtlOf(client: OAuthClient, policy: { refreshTokenTtlSeconds: number }) {
  return client.refresh_token_ttl ?? policy.refreshTokenTtlSeconds;
}

/** The user behind a grant, who must still exist and be active; else `invalid_grant`. */
export async function activeUser(context: GrantContext, userId: string): Promise<UserRow> {
  const user = await context.tenant.db.users.findById(userId);
  if (!user || user.status !== 'active') {
    throw new OAuthError('invalid_grant', 'The user of this grant is no longer active.');
  }
  return user;
}

/** The client session a user grant issues tokens on, and what its ID token says. */
export interface UserGrant {
  user: UserRow;
  /** The client session (`sessions` row): the access token's `sid`. */
  sessionId: string;
  /** The browser session the user signed in with: the ID token's `sid`. */
  browserSessionId: string | null;
  /** The scope of this response (a refresh may narrow the session's). */
  scope: readonly string[];
  authTime: Date;
  amr: readonly string[];
  acr: string | null;
  /** From the authorization code only. */
  nonce: string | null;
  refreshToken: string | undefined;
  /** The client session's active organization (docs/organizations.md); null: none. */
  organizationId: string | null;
  /** The API resource (RFC 8707) the access token is for; null: the tenant's own audience. */
  resource: ApiResource | null;
}

/** The `organization` scope: what the client asked for and the user consented to. */
export const ORGANIZATION_SCOPE = 'organization';

/**
 * The token response of a user grant (RFC 6749 §5.1, OIDC Core §3.1.3.3): an RFC 9068 access
 * token with `sid` (the client session), `client_id` and `scope`, for the client's access TTL;
 * the refresh token when there is one; an ID token when the scope has `openid`. With the
 * `organization` scope (docs/organizations.md) the access token carries the authorization claims
 * of a first-party token (`roles`, `permissions`, `org_id`, `org_role`) and the ID token
 * `org_id`, `org_role` and `organizations`, read now. For an API resource (RFC 8707), `aud` is
 * its identifier, its algorithm and lifetime apply, and `scope`/`permissions` hold its scopes
 * the user was granted and holds through roles (docs/apis.md).
 */
export async function userTokenResponse(
  context: GrantContext,
  grant: UserGrant,
): Promise<TokenResponse> {
  const { tenant, client, keyring } = context;
  const { resource } = grant;
  const ttlSeconds = resource?.access_token_ttl ?? accessTtlOf(client, tenant.policy);
  const organizations = grant.scope.includes(ORGANIZATION_SCOPE);
  const authorization =
    organizations || resource
      ? await authorizationOf(tenant.db, grant.user.id, grant.organizationId)
      : undefined;
  // For an API: its scopes the user holds, also as `permissions` (docs/apis.md); the tenant's
  // own tokens carry the full authorization claims only with the `organization` scope.
  const forResource =
    resource && authorization
      ? userScopesFor(resource, grant.scope, authorization.permissions)
      : undefined;
  const scope = (forResource?.scope ?? grant.scope).join(' ');
  const claims = authorization && organizations ? authorizationClaims(authorization) : {};
  const openid = grant.scope.includes('openid');
  const custom = await customClaimsOf(
    tenant.db,
    claimRulesFor(tenant, client),
    openid ? ['access', 'id'] : ['access'],
    {
      user: grant.user,
      authorization: async () =>
        authorization ?? authorizationOf(tenant.db, grant.user.id, grant.organizationId),
    },
  );
  if (forResource) {
    // An API's scopes are bounded by the control plane, so they always fit.
    delete claims['permissions_ref'];
    claims['permissions'] = forResource.permissions;
  }
  const key = await keyring.signingKey(
    tenant.db,
    resource?.access_token_alg ?? tenant.policy.accessTokenAlg,
  );
  const { token } = await signAccessToken(key, {
    issuer: tenant.config.issuer,
    audience: resource?.identifier ?? audienceOf(tenant),
    subject: grant.user.id,
    tenantId: tenant.config.id,
    sessionId: grant.sessionId,
    ...(scope === '' ? {} : { scope }),
    ttlSeconds,
    // How the user authenticated (RFC 9068 §2.2.1), as in the ID token.
    ...(grant.amr.length > 0 ? { amr: grant.amr } : {}),
    ...(grant.acr ? { acr: grant.acr } : {}),
    // RFC 9068 §2.2: the client the token was issued to.
    extra: { ...custom.access, ...claims, client_id: client.client_id },
  });
  const idToken = openid
    ? await signIdToken(keyring, tenant, client, {
        user: grant.user,
        browserSessionId: grant.browserSessionId,
        authTime: grant.authTime,
        amr: grant.amr,
        acr: grant.acr,
        nonce: grant.nonce,
        accessToken: token,
        scope: grant.scope,
        ttlSeconds,
        claims: {
          ...custom.id,
          ...(organizations
            ? await organizationScopeClaims(tenant.db, grant.user.id, grant.organizationId, true)
            : {}),
        },
      })
    : undefined;
  return {
    access_token: token,
    token_type: 'Bearer',
    expires_in: ttlSeconds,
    ...(scope === '' ? {} : { scope }),
    ...(grant.refreshToken === undefined ? {} : { refresh_token: grant.refreshToken }),
    ...(idToken === undefined ? {} : { id_token: idToken }),
  };
}
