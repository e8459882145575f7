/** RFC 6749 §5.2 token-endpoint errors. */
const TOKEN_ENDPOINT_ERRORS = [
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  // RFC 8707 §2: the requested resource is invalid, unknown, or not for this client.
  'invalid_target',
] as const;
/** RFC 6749 §4.1.2.1 authorization-endpoint errors. */
const AUTHORIZATION_ENDPOINT_ERRORS = [
  'access_denied',
  'unsupported_response_type',
  'server_error',
  'temporarily_unavailable',
] as const;
/** RFC 6750 §3.1 bearer-token errors. */
const BEARER_ERRORS = ['invalid_token', 'insufficient_scope'] as const;

/** Every OAuth error code, for the OpenAPI document. */
export const OAUTH_ERROR_CODES = [
  ...TOKEN_ENDPOINT_ERRORS,
  ...AUTHORIZATION_ENDPOINT_ERRORS,
  ...BEARER_ERRORS,
] as const;

export type OAuthErrorCode = (typeof OAUTH_ERROR_CODES)[number];

/** The status an OAuth error answers unless told otherwise (RFC 6749 §5.2, RFC 6750 §3.1). */
export function defaultOAuthStatus(error: OAuthErrorCode): number {
  return error === 'invalid_client' || error === 'invalid_token' ? 401 : 400;
}

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
    readonly status: number = defaultOAuthStatus(error),
  ) {
    super(description ?? error);
    this.name = 'OAuthError';
  }
}
