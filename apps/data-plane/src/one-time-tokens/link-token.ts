import { createHash, randomBytes } from 'node:crypto';

/**
 * A one-time link token (verification, reset and sign-in links): 32 random bytes, base64url, far
 * beyond guessing (256 bits). Only its SHA-256 is stored, so a leaked `one_time_tokens` table
 * opens no link; a plain hash suffices because the secret has full entropy (nothing to brute-force).
 */
export function generateLinkToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashLinkToken(token) };
}

/** The stored form of a link token: lowercase hex SHA-256. */
export function hashLinkToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
