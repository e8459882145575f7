import { OAuthError } from '@hellojohn/http';
import { signAccessToken } from '@hellojohn/tokens';
import { z } from 'zod';
import { audienceOf } from '../../tokens/session-tokens';
import type { OAuthClient } from '../client-directory';
import { accessTtlOf } from '../client-tokens';
import {
  machineScopesFor,
  requestedResource,
  resourceFor,
  resourceParameters,
} from '../resource-indicator';
import { parseScope, USER_SCOPES } from '../scopes';
import { defineGrant } from './grant';

/**
 * The scopes to grant: the requested ones, each registered for the client (RFC 6749 §3.3), or by
 * default every registered scope that makes sense without a user. OpenID Connect's user scopes
 * are refused when asked for: there is no user in this grant.
 */
function grantedScopes(client: OAuthClient, requested: string[]): string[] {
  if (requested.length === 0) return client.scopes.filter((scope) => !USER_SCOPES.has(scope));
  for (const scope of requested) {
    if (USER_SCOPES.has(scope)) {
      throw new OAuthError(
        'invalid_scope',
        `The scope ${scope} needs a user; this grant has none.`,
      );
    }
    if (!client.scopes.includes(scope)) {
      throw new OAuthError(
        'invalid_scope',
        `The scope ${scope} is not registered for this client.`,
      );
    }
  }
  return requested;
}

/**
 * RFC 6749 §4.4: a confidential client obtains an access token for itself. The token is an
 * RFC 9068 `at+jwt`: `sub` and `client_id` are the client id (never a user id: those are UUIDs,
 * client ids start `hjc_`), no `sid` (no session stands behind it), so user-only routes such as
 * `/v1/me` refuse it. No refresh token (§4.4.3). Without `resource`, `aud` is the tenant's issuer
 * and the tenant's `access_token_alg` signs it; with `resource` (RFC 8707, or `audience`), `aud`
 * is that API's identifier, its algorithm and lifetime apply, and the scopes are those granted to
 * the client on it (docs/apis.md).
 */
export const clientCredentials = defineGrant({
  grantType: 'client_credentials',
  clientTypes: ['confidential'],
  parameters: z.object({
    scope: z
      .string()
      .max(4096)
      .optional()
      .describe(
        'Space-separated scopes, each registered for the client (with `resource`: granted to it on that API); default: its registered scopes except the OpenID Connect user scopes (with `resource`: all of its grant).',
      ),
    ...resourceParameters,
  }),
  async handle({ tenant, client, keyring, resources }, parameters) {
    const identifier = requestedResource(parameters);
    const resource =
      identifier === undefined
        ? undefined
        : await resourceFor(resources, tenant, identifier, 'machines');
    const granted = resource
      ? machineScopesFor(resource, client.client_id, parseScope(parameters.scope))
      : grantedScopes(client, parseScope(parameters.scope));
    const ttlSeconds = resource?.access_token_ttl ?? accessTtlOf(client, tenant.policy);
    const key = await keyring.signingKey(
      tenant.db,
      resource?.access_token_alg ?? tenant.policy.accessTokenAlg,
    );
    const { token } = await signAccessToken(key, {
      issuer: tenant.config.issuer,
      audience: resource?.identifier ?? audienceOf(tenant),
      subject: client.client_id,
      tenantId: tenant.config.id,
      ...(granted.length > 0 ? { scope: granted.join(' ') } : {}),
      ttlSeconds,
      // RFC 9068 §2.2: the client the token was issued to; an API's permissions as a list too,
      // the claim its SDK guard reads (docs/apis.md).
      extra: { client_id: client.client_id, ...(resource ? { permissions: granted } : {}) },
    });
    return {
      access_token: token,
      token_type: 'Bearer',
      expires_in: ttlSeconds,
      ...(granted.length > 0 ? { scope: granted.join(' ') } : {}),
    };
  },
});
