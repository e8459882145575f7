import { endpoint, OAuthError, type Endpoint } from '@hellojohn/http';
import { audit } from '../audit/audit';
import { revokeSessionRecorded } from '../outbox';
import { requestMetaOf, type RequestMeta } from '../audit/request-meta';
import type { TenantContext } from '../tenancy/tenant-context';
import { tenantOf } from '../tenancy/tenant-context';
import { clientOf, type AuthenticatedClient } from './authenticate-client';
import type { FindToken } from './find-token';
import { RevocationRequest, TenantPath } from './oauth2.schemas';
import type { RevokedTokens } from './revoked-tokens';

/** The session's revocation reason, and the value `details.via` carries in the audit log. */
const REASON = 'oauth2_revoke';

/**
 * Revokes a token of the request's tenant (RFC 7009 §2.1), for `caller`:
 *
 * - a refresh token, or a user's access token (`sid`): its session ends, and with it every token
 *   of the session (the same as `POST /v1/auth/sign-out`);
 * - a client_credentials access token (no session): its `jti` joins the revocation list until the
 *   token expires, which introspection consults. A resource server that verifies tokens itself
 *   keeps accepting it until `exp` (docs/oidc.md, "Revocation").
 *
 * A token issued to another client is refused (`invalid_request`) for a confidential caller and
 * ignored for a public one, which proves nothing about itself (as oidc-provider does). First-party
 * user tokens belong to no client: any client of the tenant holding one may end its session.
 * Unknown, expired and foreign tokens are not an error (§2.2): there is nothing left to revoke.
 */
export function createRevocation(deps: { findToken: FindToken; revoked: RevokedTokens }) {
  async function endSession(
    tenant: TenantContext,
    caller: AuthenticatedClient,
    session: { id: string; userId: string },
    meta: RequestMeta,
  ): Promise<void> {
    if (!(await revokeSessionRecorded(tenant.db, session, REASON))) return;
    await audit(tenant.db, meta, {
      action: 'session.revoked',
      outcome: 'success',
      actor: `client:${caller.client.client_id}`,
      userId: session.userId,
      details: { session_id: session.id, via: REASON },
    });
  }

  return async function revoke(
    tenant: TenantContext,
    caller: AuthenticatedClient,
    token: string,
    meta: RequestMeta,
  ): Promise<void> {
    const found = await deps.findToken(tenant, token);
    if (!found) return;
    const issuedTo =
      found.kind === 'refresh_token' ? (found.session?.clientId ?? undefined) : found.clientId;
    // RFC 7009 §2.1: a token issued to another client is not the caller's to revoke.
    if (issuedTo !== undefined && issuedTo !== caller.client.client_id) {
      if (caller.method === 'none') return;
      throw new OAuthError('invalid_request', 'The token was issued to another client.');
    }
    if (found.kind === 'refresh_token') {
      if (found.session) await endSession(tenant, caller, found.session, meta);
      return;
    }
    const { claims } = found;
    if (claims.sid !== undefined) {
      await endSession(tenant, caller, { id: claims.sid, userId: claims.sub }, meta);
      return;
    }
    await deps.revoked.revoke(tenant.config.id, claims.jti, new Date(claims.exp * 1000));
  };
}

/**
 * `POST /t/{tenant}/oauth2/revoke` (RFC 7009): confidential clients authenticate as at the token
 * endpoint, public ones name themselves with `client_id`. `200` with no body whether or not there
 * was anything to revoke (§2.2).
 */
export function revokeEndpoint(revoke: ReturnType<typeof createRevocation>): Endpoint {
  return endpoint(
    {
      summary: 'Revoke a token (OAuth 2.0 token revocation)',
      description:
        'RFC 7009, form-encoded. Confidential clients authenticate (HTTP Basic or `client_secret_post`); public clients send `client_id`. A refresh token or user access token ends its session; a client_credentials access token is refused by introspection from now on (resource servers that verify tokens locally accept it until it expires). `200`, empty, even for an unknown token.',
      tags: ['oauth2'],
      accepts: 'form',
      errorFormat: 'oauth',
      params: TenantPath,
      body: RevocationRequest,
      status: 200,
      oauthErrors: ['invalid_request', 'invalid_client'],
    },
    async function revokeToken({ body }, req, res) {
      await revoke(tenantOf(res), clientOf(res), body.token, requestMetaOf(req));
    },
  );
}
