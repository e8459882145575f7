import { errors } from 'jose';

/**
 * Maps a jose failure to a caller-safe description, or `undefined` when the failure is not the
 * token's fault (the JWKS endpoint timed out, answered garbage or could not be reached).
 */
export function describeJoseError(error: unknown): string | undefined {
  if (error instanceof errors.JWTExpired) return 'The token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'typ') return 'The token is not an access token (typ must be at+jwt)';
    return error.reason === 'missing'
      ? `The token has no ${error.claim} claim`
      : `The token ${error.claim} claim is not acceptable`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed)
    return 'The token signing algorithm is not allowed';
  if (error instanceof errors.JWKSNoMatchingKey) return 'No published key matches the token kid';
  if (error instanceof errors.JWKSMultipleMatchingKeys) return 'The token kid is ambiguous';
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return 'The token signature is invalid';
  if (
    error instanceof errors.JWSInvalid ||
    error instanceof errors.JWTInvalid ||
    error instanceof errors.JOSENotSupported
  ) {
    return 'The token is malformed';
  }
  return undefined;
}
