import { endpoint, type Endpoint } from '@hellojohn/http';
import { authorizationViewOf, carriesAuthorization } from '../authorization/authorization-claims';
import type { TenantContext } from '../tenancy/tenant-context';
import { tenantOf } from '../tenancy/tenant-context';
import type { ClientDirectory } from './client-directory';
import { isLiveSession } from '../tokens/live-session';
import type { FindToken } from './find-token';
import {
  IntrospectionRequest,
  IntrospectionResponse,
  TenantPath,
  type IntrospectionView,
} from './oauth2.schemas';
import type { RevokedTokens } from './revoked-tokens';

/** RFC 7662 §2.2: all an inactive token gets, whatever made it inactive. */
const INACTIVE: IntrospectionView = { active: false };

const seconds = (date: Date): number => Math.floor(date.getTime() / 1000);

/**
 * Describes a token of the request's tenant (RFC 7662 §2.2). Active means: an access token whose
 * signature, `typ`, `iss`, `aud`, `exp` and `tid` are this tenant's and that is still backed by
 * what issued it (a live session for a user token; for a client_credentials token, a client that
 * still exists and no revocation of its `jti`), or a refresh token that is unspent, unexpired and
 * whose session is live. Anything else is `{active: false}`.
 */
export function createIntrospection(deps: {
  findToken: FindToken;
  revoked: RevokedTokens;
  clients: ClientDirectory;
}) {
  return async function introspect(
    tenant: TenantContext,
    token: string,
  ): Promise<IntrospectionView> {
    const now = new Date();
    const found = await deps.findToken(tenant, token, now);
    if (!found) return INACTIVE;
    const common = { iss: tenant.config.issuer, tid: tenant.config.id };

    if (found.kind === 'refresh_token') {
      const { row, session } = found;
      if (row.revokedAt || row.usedAt || !isLiveSession(session, now)) return INACTIVE;
      return {
        active: true,
        // An OAuth client's session: the scope it was granted and the client (RFC 7662 §2.2).
        ...(session.scope === null ? {} : { scope: session.scope }),
        ...(session.clientId === null ? {} : { client_id: session.clientId }),
        // The API its access tokens are for (RFC 8707), when it was granted for one.
        ...(session.resource === null ? {} : { aud: session.resource }),
        sub: session.userId,
        exp: seconds(row.expiresAt),
        iat: seconds(row.createdAt),
        ...common,
        sid: session.id,
      };
    }

    const { claims, clientId } = found;
    let authorization = {};
    if (claims.sid !== undefined) {
      const session = await tenant.db.sessions.findById(claims.sid);
      if (!isLiveSession(session, now) || session.userId !== claims.sub) return INACTIVE;
      // First-party tokens: the full roles and permissions, which may exceed the token's budget.
      if (carriesAuthorization(claims)) {
        authorization = await authorizationViewOf(tenant.db, claims.sub, session.organizationId);
      }
    } else {
      // Without a session, a token stands for its client: issued by client_credentials.
      if (clientId === undefined || claims.sub !== clientId) return INACTIVE;
      if (await deps.revoked.isRevoked(tenant.config.id, claims.jti)) return INACTIVE;
      if (!(await deps.clients.resolve(tenant.config.id, clientId))) return INACTIVE;
    }
    return {
      active: true,
      ...(claims.scope === undefined ? {} : { scope: claims.scope }),
      ...(clientId === undefined ? {} : { client_id: clientId }),
      sub: claims.sub,
      exp: claims.exp,
      iat: claims.iat,
      ...common,
      aud: claims.aud,
      token_type: 'Bearer',
      jti: claims.jti,
      ...(claims.sid === undefined ? {} : { sid: claims.sid }),
      ...authorization,
    };
  };
}

/**
 * `POST /t/{tenant}/oauth2/introspect` (RFC 7662): for confidential clients (resource servers),
 * authenticated like at the token endpoint, so tokens cannot be scanned anonymously (§2.1).
 */
export function introspectEndpoint(introspect: ReturnType<typeof createIntrospection>): Endpoint {
  return endpoint(
    {
      summary: 'Describe a token (OAuth 2.0 token introspection)',
      description:
        'RFC 7662, form-encoded, for confidential clients (HTTP Basic or `client_secret_post`). A token this tenant issued that is still valid -> `{active: true, ...}` with its claims; anything else (unknown, expired, revoked, spent, another tenant\'s) -> exactly `{"active": false}`, status 200.',
      tags: ['oauth2'],
      accepts: 'form',
      errorFormat: 'oauth',
      params: TenantPath,
      body: IntrospectionRequest,
      response: IntrospectionResponse,
      oauthErrors: ['invalid_request', 'invalid_client'],
    },
    async function introspectToken({ body }, _req, res) {
      return introspect(tenantOf(res), body.token);
    },
  );
}
