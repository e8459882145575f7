import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { deriveSubkey } from '@hellojohn/tokens';

/** Six digits: what a person types from a mail. */
const CODE_DIGITS = 6;

/** Wrong guesses one code survives; the fifth failure kills it (1 in 200,000 for a guesser). */
export const CODE_MAX_ATTEMPTS = 5;

export interface OneTimeCodes {
  /** A fresh uniformly random code for the user and its stored form. */
  generate(tenantId: string, userId: string): { code: string; hash: string };
  /** The stored form of the user's `code`. */
  hash(tenantId: string, userId: string, code: string): string;
  /** Whether `code` is the user's code stored as `storedHash`, compared in constant time. */
  matches(tenantId: string, userId: string, code: string, storedHash: string): boolean;
}

/**
 * Six-digit mail codes (email OTP). A million codes are brute-forced offline in a blink, so a
 * plain hash would hide nothing: they are stored as HMAC-SHA256 under a per-tenant subkey of the
 * master key (`email-otp:{tenantId}`), useless without it and never comparable across tenants.
 * The user id is in the MAC too: two users holding the same six digits store different hashes
 * (`one_time_tokens` is unique on purpose + hash, and a million codes collide soon across users).
 */
export function createOneTimeCodes(masterKey: Buffer): OneTimeCodes {
  const keys = new Map<string, Buffer>();
  const keyOf = (tenantId: string): Buffer => {
    let key = keys.get(tenantId);
    if (!key) {
      key = deriveSubkey(masterKey, `email-otp:${tenantId}`);
      keys.set(tenantId, key);
    }
    return key;
  };
  const hash = (tenantId: string, userId: string, code: string): string =>
    createHmac('sha256', keyOf(tenantId)).update(`${userId}:${code}`, 'utf8').digest('hex');
  return {
    generate(tenantId, userId) {
      const code = String(randomInt(0, 10 ** CODE_DIGITS)).padStart(CODE_DIGITS, '0');
      return { code, hash: hash(tenantId, userId, code) };
    },
    hash,
    matches(tenantId, userId, code, storedHash) {
      const presented = Buffer.from(hash(tenantId, userId, code), 'hex');
      const stored = Buffer.from(storedHash, 'hex');
      return presented.length === stored.length && timingSafeEqual(presented, stored);
    },
  };
}
