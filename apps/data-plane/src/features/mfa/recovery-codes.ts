import { createHmac, randomInt } from 'node:crypto';
import { deriveSubkey } from '@hellojohn/tokens';

/** How many codes a set holds. */
const RECOVERY_CODE_COUNT = 10;

/** Crockford's base32: no i, l, o or u, so nothing reads as another character. */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
/** 12 characters of 5 bits: 60 bits, typed as xxxx-xxxx-xxxx. */
const LENGTH = 12;

export interface RecoveryCodes {
  /** A fresh set: the codes to show once, and the hashes to store. */
  generate(tenantId: string, userId: string): { codes: string[]; hashes: string[] };
  /** The stored form of what the user typed; undefined when it cannot be a recovery code. */
  hashOf(tenantId: string, userId: string, input: string): string | undefined;
}

/** Case, dashes and spaces do not matter; Crockford's look-alikes read as the digit. */
function normalizeRecoveryCode(input: string): string | undefined {
  const compact = input
    .toLowerCase()
    .replace(/[\s-]/g, '')
    .replace(/[il]/g, '1')
    .replace(/o/g, '0');
  if (compact.length !== LENGTH) return undefined;
  for (const char of compact) if (!ALPHABET.includes(char)) return undefined;
  return compact;
}

/**
 * Recovery codes, stored as HMAC-SHA256 under a per-tenant subkey of the master key with the
 * user id in the MAC: a leaked table neither reveals codes nor lets one user's row match another's.
 */
export function createRecoveryCodes(masterKey: Buffer): RecoveryCodes {
  const keys = new Map<string, Buffer>();
  const keyOf = (tenantId: string): Buffer => {
    let key = keys.get(tenantId);
    if (!key) {
      key = deriveSubkey(masterKey, `mfa-recovery:${tenantId}`);
      keys.set(tenantId, key);
    }
    return key;
  };
  const mac = (tenantId: string, userId: string, normalized: string): string =>
    createHmac('sha256', keyOf(tenantId)).update(`${userId}:${normalized}`, 'utf8').digest('hex');
  return {
    generate(tenantId, userId) {
      const codes: string[] = [];
      const hashes: string[] = [];
      while (codes.length < RECOVERY_CODE_COUNT) {
        let raw = '';
        for (let i = 0; i < LENGTH; i += 1) raw += ALPHABET.charAt(randomInt(ALPHABET.length));
        const hash = mac(tenantId, userId, raw);
        if (hashes.includes(hash)) continue;
        codes.push(`${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`);
        hashes.push(hash);
      }
      return { codes, hashes };
    },
    hashOf(tenantId, userId, input) {
      const normalized = normalizeRecoveryCode(input);
      return normalized === undefined ? undefined : mac(tenantId, userId, normalized);
    },
  };
}
