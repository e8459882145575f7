import { endpoint, OAuthError, type Endpoint } from '@hellojohn/http';
import { TokenError, type AccessTokenClaims } from '@hellojohn/tokens';
import type { Request, Response } from 'express';
import {
  authorizationOf,
  authorizationViewOf,
  carriesAuthorization,
  organizationScopeClaims,
} from '../authorization/authorization-claims';
import { ORGANIZATION_SCOPE } from './client-tokens';
import type { Keyring } from '../keys/keyring';
import { tenantOf, type TenantContext } from '../tenancy/tenant-context';
import { isLiveSession } from '../tokens/live-session';
import { verifyTenantAccessToken } from '../tokens/tenant-access-token';
import { claimRulesFor, customClaimsOf } from '../tokens/custom-claims';
import type { ClientDirectory } from './client-directory';
import { userClaimsOf } from './id-token';
import { TenantPath } from './oauth2.schemas';
import { parseScope } from './scopes';
import { UserinfoForm, UserinfoResponse } from './userinfo.schemas';

const REALM = 'realm="hellojohn"';
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

/** RFC 6750 §3.1 invalid_token, with its challenge; one description for every cause. */
function invalidToken(res: Response): OAuthError {
  res.setHeader('WWW-Authenticate', `Bearer ${REALM}, error="invalid_token"`);
  return new OAuthError('invalid_token', 'The access token is invalid, expired or revoked.');
}

/**
 * The presented access token (RFC 6750 §2.1 header, §2.2 form body for POST). No token at all is
 * 401 with a bare `Bearer` challenge (§3.1: no error code when the request had no credentials);
 * two at once, or a header of another scheme, is 400 invalid_request.
 */
function presentedToken(req: Request, res: Response, formToken: string | undefined): string {
  const header = req.headers.authorization;
  if (header !== undefined && formToken !== undefined) {
    res.setHeader('WWW-Authenticate', `Bearer ${REALM}, error="invalid_request"`);
    throw new OAuthError('invalid_request', 'Send the access token one way only.');
  }
  if (formToken !== undefined) return formToken;
  if (header === undefined) {
    res.setHeader('WWW-Authenticate', `Bearer ${REALM}`);
    throw new OAuthError('invalid_request', 'Send an access token (Authorization: Bearer).', 401);
  }
  const token = BEARER.exec(header)?.[1];
  if (token === undefined) {
    res.setHeader('WWW-Authenticate', `Bearer ${REALM}, error="invalid_request"`);
    throw new OAuthError('invalid_request', 'The Authorization header is not a bearer token.');
  }
  return token;
}

/** The token's claims when it is this tenant's, unexpired, and its user session still stands. */
async function liveClaims(
  keyring: Keyring,
  tenant: TenantContext,
  token: string,
  res: Response,
): Promise<AccessTokenClaims> {
  let claims: AccessTokenClaims | undefined;
  try {
    claims = await verifyTenantAccessToken(keyring, tenant, token);
  } catch (error) {
    if (error instanceof TokenError) throw invalidToken(res);
    throw error;
  }
  // Another tenant's token, or a client_credentials one (no user, no session).
  if (!claims?.sid) throw invalidToken(res);
  const session = await tenant.db.sessions.findById(claims.sid);
  if (!isLiveSession(session, new Date()) || session.userId !== claims.sub) {
    throw invalidToken(res);
  }
  return claims;
}

/**
 * OIDC Core §5.3: the user's claims for a live access token with the `openid` scope, by its
 * scope (`profile`, `email`). Without `openid`: 403 insufficient_scope (RFC 6750 §3.1).
 */
function userinfoOf(keyring: Keyring, clients: Pick<ClientDirectory, 'resolve'>) {
  return async function userinfo(
    req: Request,
    res: Response,
    formToken: string | undefined,
  ): Promise<Record<string, unknown> & { sub: string }> {
    const tenant = tenantOf(res);
    const claims = await liveClaims(keyring, tenant, presentedToken(req, res, formToken), res);
    const scope = parseScope(claims.scope);
    if (!scope.includes('openid')) {
      res.setHeader(
        'WWW-Authenticate',
        `Bearer ${REALM}, error="insufficient_scope", scope="openid"`,
      );
      throw new OAuthError('insufficient_scope', 'The access token lacks the openid scope.', 403);
    }
    const user = await tenant.db.users.findById(claims.sub);
    if (!user || user.status !== 'active') throw invalidToken(res);
    res.setHeader('Cache-Control', 'no-store');
    const organizationId =
      (await tenant.db.sessions.findById(claims.sid ?? ''))?.organizationId ?? null;
    // Tokens with authorization claims: the full roles and permissions, past the token's budget.
    const authorization = carriesAuthorization(claims)
      ? await authorizationViewOf(tenant.db, user.id, organizationId)
      : {};
    // The `organization` scope: every organization, never cut to the ID token's budget.
    const organizations = scope.includes(ORGANIZATION_SCOPE)
      ? await organizationScopeClaims(tenant.db, user.id, organizationId, false)
      : {};
    // Custom claims (docs/apis.md#custom-claims): the client's rules for an OAuth token.
    const client =
      typeof claims.client_id === 'string'
        ? await clients.resolve(tenant.config.id, claims.client_id)
        : undefined;
    const custom = await customClaimsOf(tenant.db, claimRulesFor(tenant, client), ['userinfo'], {
      user,
      authorization: () => authorizationOf(tenant.db, user.id, organizationId),
    });
    return {
      ...custom.userinfo,
      sub: user.id,
      ...userClaimsOf(user, scope),
      ...authorization,
      ...organizations,
    };
  };
}

const DESCRIPTION =
  "OpenID Connect Core §5.3. The access token (RFC 6750: `Authorization: Bearer`, or for POST the `access_token` form parameter, not both) must be this tenant's, unexpired, of a session that is still live, and carry the `openid` scope. Answers `sub` plus `name`/`updated_at` with `profile`, `email`/`email_verified` with `email`, and `org_id`/`org_role` (the active organization) and `organizations` with `organization`. No token -> 401 with a bare `WWW-Authenticate: Bearer` challenge; a bad one -> 401 `invalid_token`; no `openid` -> 403 `insufficient_scope`.";

export interface UserinfoEndpoints {
  userinfoGet: Endpoint;
  userinfoPost: Endpoint;
}

/** `GET` and `POST /t/{tenant}/userinfo`. */
export function userinfoEndpoints(
  keyring: Keyring,
  clients: Pick<ClientDirectory, 'resolve'>,
): UserinfoEndpoints {
  const userinfo = userinfoOf(keyring, clients);
  const common = {
    summary: 'The signed-in user (OpenID Connect UserInfo)',
    description: DESCRIPTION,
    tags: ['oauth2'],
    errorFormat: 'oauth' as const,
    params: TenantPath,
    response: UserinfoResponse,
    oauthErrors: [
      'invalid_request' as const,
      'invalid_token' as const,
      'insufficient_scope' as const,
    ],
  };
  return {
    userinfoGet: endpoint({ ...common }, async function userinfoGet(_input, req, res) {
      return userinfo(req, res, undefined);
    }),
    userinfoPost: endpoint(
      { ...common, accepts: 'form', body: UserinfoForm },
      async function userinfoPost({ body }, req, res) {
        return userinfo(req, res, body.access_token);
      },
    ),
  };
}
