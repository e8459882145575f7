const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Throws unless `value` is a SHA-256 digest in lowercase hex, the form every `*_hash` column of an
 * opaque token (refresh tokens, codes, login handles, browser handles) holds.
 */
export function assertSha256Hex(value: string, field: string): void {
  if (!SHA256_HEX.test(value)) {
    throw new TypeError(`${field} must be 64 lowercase hex characters (SHA-256)`);
  }
}
