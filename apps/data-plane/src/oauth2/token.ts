import { endpoint, OAuthError, type Endpoint } from '@hellojohn/http';
import { z } from 'zod';
import { requestMetaOf } from '../audit/request-meta';
import { tenantOf } from '../tenancy/tenant-context';
import { assertRegisteredMethod, clientOf } from './authenticate-client';
import { GRANT_PARAMETERS, GRANT_TYPES_SUPPORTED, grantOf, grantParameters } from './grants';
import type { GrantServices } from './grants/grant';
import { ClientCredentialsInBody, TenantPath, TokenResponse } from './oauth2.schemas';

/** RFC 6749 §4.1.3, §4.4.2, §6: `grant_type`, client authentication, each grant's own. */
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
export function tokenEndpoint(services: GrantServices): Endpoint {
  return endpoint(
    {
      summary: 'Issue an access token (OAuth 2.0 token endpoint)',
      description:
        'RFC 6749 §3.2, form-encoded. Grants: `authorization_code` (RFC 6749 §4.1 with PKCE, RFC 7636, and OpenID Connect Core §3.1.3) and `refresh_token` (§6, rotated: each refresh token is single use, a reused one revokes its session) for public and confidential clients; `client_credentials` (§4.4) for confidential clients. The client authenticates with the method it registered (`token_endpoint_auth_method`): HTTP Basic (`client_secret_basic`, id and secret form-urlencoded first, RFC 6749 §2.3.1), `client_id` + `client_secret` in the body (`client_secret_post`), or, for a public client, `client_id` alone (`none`); another method is `invalid_client`. The access token is an RFC 9068 JWT signed with the tenant key (see the JWKS); user grants add `sid`, `client_id` and `scope`, an ID token when the scope has `openid`, and a refresh token when it has `offline_access`.',
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
        'invalid_grant',
        'unauthorized_client',
        'unsupported_grant_type',
        'invalid_scope',
      ],
    },
    async function token({ body }, req, res) {
      const tenant = tenantOf(res);
      const authenticated = clientOf(res);
      assertRegisteredMethod(authenticated);
      const { client } = authenticated;
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
      return grant.handle({ ...services, tenant, client, meta: requestMetaOf(req) }, parameters);
    },
  );
}
