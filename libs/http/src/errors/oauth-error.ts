/** RFC 6749 §5.2 token-endpoint errors. */
type TokenEndpointError =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope';
/** RFC 6749 §4.1.2.1 authorization-endpoint errors. */
type AuthorizationEndpointError =
  'access_denied' | 'unsupported_response_type' | 'server_error' | 'temporarily_unavailable';
/** RFC 6750 §3.1 bearer-token errors. */
type BearerError = 'invalid_token' | 'insufficient_scope';

export type OAuthErrorCode = TokenEndpointError | AuthorizationEndpointError | BearerError;

/**
 * An OAuth protocol error, answered as RFC 6749 `{error, error_description}`.
 *
 * @example
 * throw new OAuthError('invalid_grant', 'The refresh token is expired');
 */
export class OAuthError extends Error {
  constructor(
    readonly error: OAuthErrorCode,
    readonly description?: string,
    readonly status: number = error === 'invalid_client' || error === 'invalid_token' ? 401 : 400,
  ) {
    super(description ?? error);
    this.name = 'OAuthError';
  }
}
