import { AppError, OAuthError } from '@hellojohn/http';
import { z } from 'zod';
import { audit } from '../../audit/audit';
import { activeUser, ORGANIZATION_SCOPE, refreshTtlOf, userTokenResponse } from '../client-tokens';
import type { ApiResource } from '../resource-catalogue';
import { requestedResource, resourceFor, resourceParameters } from '../resource-indicator';
import { parseScope } from '../scopes';
import { defineGrant } from './grant';

/**
 * RFC 6749 §6: a client exchanges its refresh token for a new access token and the token's
 * successor, through the first-party rotation with reuse detection (RFC 9700 §4.14.2): a spent
 * token presented again revokes the whole session. The session must be bound to this client;
 * `scope` may narrow the granted scope for this response, never widen it, and the session keeps
 * what was granted. With `openid` a new ID token comes (same `sub`, `aud`, `azp`, `auth_time`;
 * no `nonce`, OIDC Core §12.2). `organization_id` (a session granted `organization`) switches
 * the session's active organization, refused before the token is spent for a non-member
 * (docs/organizations.md).
 */
export const refreshToken = defineGrant({
  grantType: 'refresh_token',
  clientTypes: ['public', 'confidential'],
  parameters: z.object({
    refresh_token: z.string().max(512).describe('The refresh token issued to this client.'),
    scope: z
      .string()
      .max(4096)
      .optional()
      .describe(
        'A subset of the granted scope, space-separated, for this access token (default: all of it); a scope not granted -> `invalid_scope`.',
      ),
    organization_id: z
      .string()
      .max(64)
      .optional()
      .describe(
        "Switches the session's active organization (the `organization` scope must have been granted): the tokens then carry its `org_id` and `org_role`. A non-member -> `invalid_request`, the refresh token unspent.",
      ),
    ...resourceParameters,
  }),
  async handle(context, parameters) {
    const { tenant, client, meta, rotation } = context;
    const requested = parseScope(parameters.scope);
    const switchTo = parameters.organization_id;
    const requestedTarget = requestedResource(parameters);
    let scope: string[] = [];
    let resource: ApiResource | null = null;
    let rotated;
    try {
      rotated = await rotation.rotate(tenant, parameters.refresh_token, meta, {
        clientId: client.client_id,
        refreshTtlSeconds: refreshTtlOf(client, tenant.policy),
        accept(session) {
          const granted = parseScope(session.scope ?? '');
          const widened = requested.find((token) => !granted.includes(token));
          if (widened !== undefined) {
            throw new OAuthError('invalid_scope', `The scope ${widened} was not granted.`);
          }
          scope = requested.length > 0 ? requested : granted;
          if (switchTo !== undefined && !granted.includes(ORGANIZATION_SCOPE)) {
            throw new OAuthError('invalid_scope', 'organization_id needs the organization scope.');
          }
        },
        async check(session) {
          // The session's API, which a refresh may name again but not change (RFC 8707 §2.2):
          // checked before the token is spent, as is a resource deleted since.
          if (requestedTarget !== undefined && requestedTarget !== session.resource) {
            throw new OAuthError('invalid_target', 'The grant was not issued for this resource.');
          }
          if (session.resource !== null) {
            resource = await resourceFor(context.resources, tenant, session.resource, 'users');
          }
          if (switchTo === undefined) return;
          if (await tenant.db.memberships.find(switchTo, session.userId)) return;
          await audit(tenant.db, meta, {
            action: 'organization.switched',
            outcome: 'denied',
            actor: `client:${client.client_id}`,
            userId: session.userId,
            target: switchTo,
            details: { reason: 'not_member' },
          });
          throw new OAuthError(
            'invalid_request',
            'The user is not a member of this organization (organization_id).',
          );
        },
      });
    } catch (error) {
      if (
        error instanceof AppError &&
        (error.code === 'refresh_token_invalid' || error.code === 'refresh_token_reused')
      ) {
        throw new OAuthError('invalid_grant', 'The refresh token is invalid, expired or revoked.');
      }
      throw error;
    }
    const { session } = rotated;
    const user = await activeUser(context, session.userId);
    let organizationId = session.organizationId;
    if (switchTo !== undefined && switchTo !== organizationId) {
      await tenant.db.sessions.setOrganization(session.id, switchTo);
      organizationId = switchTo;
      await audit(tenant.db, meta, {
        action: 'organization.switched',
        outcome: 'success',
        actor: `client:${client.client_id}`,
        userId: session.userId,
        target: switchTo,
        details: { session_id: session.id },
      });
    }
    return userTokenResponse(context, {
      user,
      sessionId: session.id,
      browserSessionId: session.browserSessionId,
      scope,
      authTime: session.authTime,
      amr: session.amr,
      acr: session.acr,
      nonce: null,
      refreshToken: rotated.refreshToken,
      organizationId,
      resource,
    });
  },
});
