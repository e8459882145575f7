import { randomBytes } from 'node:crypto';
import { sha256Hex } from './hash';

/** A freshly minted secret and the hash to store instead of it. */
export interface OpaqueSecret {
  /** Shown to its holder once; never stored. */
  token: string;
  /** SHA-256 hex of the whole `token`, prefix included: what goes in the database. */
  hash: string;
}

const REFRESH_TOKEN_PREFIX = 'hjrt_';
// 128 bits is the floor for an unguessable bearer secret; refresh tokens use 256.
const MIN_BYTES = 16;

/**
 * What a presented refresh token can be: `hjrt_` then base64url characters (`A-Z a-z 0-9 - _`),
 * the alphabet `generateRefreshToken` mints from; at most 512 characters. Anything else (other
 * characters, NUL, lone surrogates) was never issued, so it is refused as invalid input before any
 * lookup; a well-formed but unknown token is the lookup's to refuse.
 *
 * @example
 * const RefreshToken = z.string().max(512).regex(REFRESH_TOKEN_PATTERN);
 */
export const REFRESH_TOKEN_PATTERN = /^hjrt_[A-Za-z0-9_-]{1,507}$/;

/**
 * Mints `bytes` of CSPRNG output as base64url behind a recognisable `prefix` (so secret scanners
 * and humans can tell what leaked), and returns it with its SHA-256 hex. A fast hash is enough:
 * the input already has >= 128 bits of entropy, so there is nothing to brute-force.
 *
 * @example
 * ```ts
 * const { token, hash } = generateOpaqueSecret('hjcs_');
 * ```
 */
export function generateOpaqueSecret(prefix: string, bytes = 32): OpaqueSecret {
  if (!Number.isInteger(bytes) || bytes < MIN_BYTES) {
    throw new RangeError(`bytes must be an integer >= ${MIN_BYTES}`);
  }
  const token = `${prefix}${randomBytes(bytes).toString('base64url')}`;
  return { token, hash: sha256Hex(token) };
}

/**
 * Mints a refresh token: `hjrt_` + 256 random bits, base64url, and its SHA-256 hex for storage.
 *
 * @example
 * ```ts
 * const { token, hash } = generateRefreshToken();
 * await refreshTokens.insert({ tokenHash: hash, sessionId });
 * ```
 */
export function generateRefreshToken(): OpaqueSecret {
  return generateOpaqueSecret(REFRESH_TOKEN_PREFIX, 32);
}

/**
 * The lookup key for a presented refresh token (SHA-256 hex of the whole string).
 *
 * @example
 * ```ts
 * const row = await refreshTokens.findByHash(hashRefreshToken(presented));
 * ```
 */
export function hashRefreshToken(token: string): string {
  return sha256Hex(token);
}
