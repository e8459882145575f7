import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * SHA-256 of the UTF-8 bytes of `input`, as lowercase hex.
 *
 * @example
 * ```ts
 * sha256Hex('abc'); // 'ba7816bf…'
 * ```
 */
export function sha256Hex(input: string): string {
  return createHash('sha256').update(input, 'utf8').digest('hex');
}

/**
 * Constant-time string comparison. Both sides are hashed first so the comparison takes the same
 * time whatever their lengths, and `timingSafeEqual` never throws on a length mismatch.
 *
 * @example
 * ```ts
 * if (!safeEqual(presented, expected)) throw new Error('unauthorized');
 * ```
 */
export function safeEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a, 'utf8').digest();
  const db = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(da, db);
}
