import type { InvalidTokenError } from './invalid-token-error';

// RFC 6750 §3: error_description and scope are quoted strings limited to %x20-21 / %x23-5B /
// %x5D-7E, so a quote, backslash or non-ASCII character must never reach the header.
function quotable(value: string): string {
  return value.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, '');
}

/**
 * The `WWW-Authenticate` challenge for a refused request. Without an error (no token at all),
 * RFC 6750 §3.1 says the challenge should carry no error code: just `Bearer`.
 */
export function bearerChallenge(error?: InvalidTokenError): string {
  if (!error) return 'Bearer';
  const params = [`error="${error.code}"`, `error_description="${quotable(error.description)}"`];
  if (error.scope) params.push(`scope="${quotable(error.scope)}"`);
  return `Bearer ${params.join(', ')}`;
}
