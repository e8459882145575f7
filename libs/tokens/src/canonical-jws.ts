// The SDK verifier (libs/sdk/src/verify/canonical-jws.ts) keeps an identical copy: the SDK must not
// depend on server libraries, and this one must not import the SDK. Both are tested with the same
// vectors; change them together.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const SEGMENT = /^[A-Za-z0-9_-]*$/;

/**
 * True when `segment` is the one base64url spelling (RFC 7515 §2, RFC 4648 §5 without padding) of
 * the bytes it decodes to: URL alphabet only, no `=`, no length of 1 mod 4, and the bits of the
 * last character that encode no byte are zero.
 */
function isCanonicalSegment(segment: string): boolean {
  if (!SEGMENT.test(segment)) return false;
  const rest = segment.length % 4;
  if (rest === 0) return true;
  if (rest === 1) return false;
  const last = ALPHABET.indexOf(segment.charAt(segment.length - 1));
  // 2 characters carry 1 byte (4 spare bits), 3 characters carry 2 bytes (2 spare bits).
  const spare = rest === 2 ? 0b1111 : 0b11;
  return (last & spare) === 0;
}

/**
 * True when `token` is a compact JWS of three canonical base64url segments. jose decodes
 * leniently (padding, spare bits, trailing junk), so without this check one signed token has many
 * accepted spellings, and anything keyed on the token string (caches, deny-lists, logs) can be
 * dodged.
 */
export function isCanonicalJws(token: string): boolean {
  const segments = token.split('.');
  return segments.length === 3 && segments.every(isCanonicalSegment);
}
