import { AppError, OAuthError } from '@hellojohn/http';
import { z } from 'zod';
import { activeUser, refreshTtlOf, userTokenResponse } from '../client-tokens';
import { parseScope } from '../scopes';
import { defineGrant } from './grant';

/**
 * RFC 6749 §6: a client exchanges its refresh token for a new access token and the token's
 * successor, through the first-party rotation with reuse detection (RFC 9700 §4.14.2): a spent
 * token presented again revokes the whole session. The session must be bound to this client;
 * `scope` may narrow the granted scope for this response, never widen it, and the session keeps
 * what was granted. With `openid` a new ID token comes (same `sub`, `aud`, `azp`, `auth_time`;
 * no `nonce`, OIDC Core §12.2).
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
  }),
  async handle(context, parameters) {
    const { tenant, client, meta, rotation } = context;
    const requested = parseScope(parameters.scope);
    let scope: string[] = [];
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
    });
  },
});
