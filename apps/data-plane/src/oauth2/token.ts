import { endpoint, OAuthError, type Endpoint } from '@hellojohn/http';
import { z } from 'zod';
import type { Keyring } from '../keys/keyring';
import { tenantOf } from '../tenancy/tenant-context';
import { clientOf } from './authenticate-client';
import { GRANT_PARAMETERS, GRANT_TYPES_SUPPORTED, grantOf, grantParameters } from './grants';
import { ClientCredentialsInBody, TenantPath, TokenResponse } from './oauth2.schemas';

/** RFC 6749 §4.4.2 and the grants to come: `grant_type`, client authentication, each grant's own. */
const TokenRequest = z.object({
  grant_type: z
    .enum(GRANT_TYPES_SUPPORTED)
    .describe('The grant (RFC 6749 §4); another value -> `unsupported_grant_type`.'),
  ...ClientCredentialsInBody,
  ...GRANT_PARAMETERS,
});

/**
 * `POST /t/{tenant}/oauth2/token` (RFC 6749 §3.2): the route table has authenticated the client
 * (`authenticateClient('any')`); the grant named by `grant_type` does the rest. The client must
 * have registered the grant and be of a type the grant serves, else `unauthorized_client`.
 * Answers carry `Cache-Control: no-store` (§5.1), errors are RFC 6749 §5.2 JSON.
 */
export function tokenEndpoint(deps: { keyring: Keyring }): Endpoint {
  return endpoint(
    {
      summary: 'Issue an access token (OAuth 2.0 token endpoint)',
      description:
        'RFC 6749 §3.2, form-encoded. Grants: `client_credentials` (RFC 6749 §4.4) for confidential clients. The client authenticates with HTTP Basic (`client_secret_basic`, id and secret form-urlencoded first, RFC 6749 §2.3.1) or `client_id` + `client_secret` in the body (`client_secret_post`), never both. The access token is an RFC 9068 JWT signed with the tenant key (see the JWKS).',
      tags: ['oauth2'],
      accepts: 'form',
      errorFormat: 'oauth',
      params: TenantPath,
      body: TokenRequest,
      response: TokenResponse,
      parameterErrors: { grant_type: 'unsupported_grant_type', scope: 'invalid_scope' },
      oauthErrors: [
        'invalid_request',
        'invalid_client',
        'unauthorized_client',
        'unsupported_grant_type',
        'invalid_scope',
      ],
    },
    async function token({ body }, _req, res) {
      const tenant = tenantOf(res);
      const { client } = clientOf(res);
      const grant = grantOf(body.grant_type);
      // RFC 6749 §5.2 unauthorized_client: "not authorized to use this authorization grant type".
      if (
        !client.grant_types.includes(grant.grantType) ||
        !grant.clientTypes.includes(client.type)
      ) {
        throw new OAuthError(
          'unauthorized_client',
          `The client may not use the ${grant.grantType} grant.`,
        );
      }
      const parameters = grantParameters(grant, body);
      return grant.handle({ tenant, client, keyring: deps.keyring }, parameters);
    },
  );
}
