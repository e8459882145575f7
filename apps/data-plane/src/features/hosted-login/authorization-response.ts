import type { StoredAuthorizationRequest } from '@hellojohn/dal';

/** What goes back to the client: where, how (RFC 6749 §4.1.2, form_post), with what. */
export interface AuthorizationResponse {
  redirectUri: string;
  mode: 'query' | 'form_post';
  params: Record<string, string>;
}

/**
 * A response to the client: `iss` always (RFC 9207), `state` echoed when the request had one.
 *
 * @example
 * authorizationResponse(issuer, request, { code }); // {redirectUri, mode, params}
 */
export function authorizationResponse(
  issuer: string,
  request: Pick<StoredAuthorizationRequest, 'redirect_uri' | 'state' | 'response_mode'>,
  params: Record<string, string>,
): AuthorizationResponse {
  return {
    redirectUri: request.redirect_uri,
    mode: request.response_mode === 'form_post' ? 'form_post' : 'query',
    params: {
      ...params,
      ...(request.state === null ? {} : { state: request.state }),
      iss: issuer,
    },
  };
}

/** The query-mode redirect target: the redirect URI with the parameters added to its query. */
export function redirectTarget(response: AuthorizationResponse): string {
  const url = new URL(response.redirectUri);
  for (const [name, value] of Object.entries(response.params)) url.searchParams.append(name, value);
  return url.href;
}
