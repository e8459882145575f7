import { createHash, timingSafeEqual } from 'node:crypto';

/** RFC 7636 §4.1: code_verifier = 43*128unreserved. */
const CODE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

/**
 * RFC 7636 §4.6: whether `verifier` is well formed and BASE64URL(SHA-256(verifier)) equals the
 * stored S256 `challenge`, compared in constant time. `plain` is never accepted (the authorization
 * endpoint refuses it, and a code carrying another method fails here).
 */
export function verifierMatches(
  verifier: string,
  challenge: string,
  method: string | null,
): boolean {
  if (method !== 'S256' || !CODE_VERIFIER.test(verifier)) return false;
  const computed = Buffer.from(createHash('sha256').update(verifier, 'ascii').digest('base64url'));
  const expected = Buffer.from(challenge);
  // Equal lengths first (timingSafeEqual needs them); the length of a challenge is no secret.
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}
