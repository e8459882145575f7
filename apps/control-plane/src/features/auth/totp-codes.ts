import { createHmac, randomBytes, randomInt } from 'node:crypto';
import { decryptSecret, deriveSubkey, encryptSecret } from '@hellojohn/tokens';
import { Secret, TOTP } from 'otpauth';

/** RFC 6238 as every authenticator app reads it: SHA-1, 6 digits, 30 s (as the data plane). */
const PERIOD = 30;
const DIGITS = 6;
/** One step either way: a phone clock a little off, or a code typed as it turned over. */
const WINDOW = 1;
/** 160 bits, the HMAC-SHA1 block size RFC 4226 §4 recommends. */
const SECRET_BYTES = 20;
/** Issuer shown by authenticator apps. */
const ISSUER = 'HelloJohn control plane';

const RECOVERY_CODE_COUNT = 10;
/** Crockford's base32: no i, l, o or u, so nothing reads as another character. */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
/** 12 characters of 5 bits: 60 bits, typed as xxxx-xxxx-xxxx. */
const RECOVERY_LENGTH = 12;

const aadOf = (adminId: string): string => `control-plane:admin-totp:${adminId}`;

function totpOf(secretBase32: string, label = ''): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label,
    algorithm: 'SHA1',
    digits: DIGITS,
    period: PERIOD,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** A TOTP code as typed: 6 digits (spaces allowed). Anything else may be a recovery code. */
export function asTotpCode(input: string): string | undefined {
  const compact = input.replace(/\s/g, '');
  return /^\d{6}$/.test(compact) ? compact : undefined;
}

/**
 * The CP admins' second factor: TOTP secrets sealed with the master key (bound to the admin by
 * the AEAD's associated data) and recovery codes stored as HMAC-SHA256 under a subkey of the
 * master key, with the admin id in the MAC, so a leaked table reveals no code and one admin's
 * row never matches another's.
 */
export interface TotpCodes {
  /** A fresh secret (base32), its sealed form and the `otpauth://` URI for the app. */
  newSecret(adminId: string, label: string): { secret: string; sealed: string; uri: string };
  /** The time step `code` is valid for at `now` (±1 step) under the sealed secret, or undefined. */
  match(adminId: string, sealed: string, code: string, now: Date): number | undefined;
  /** A fresh set of recovery codes: to show once, and their hashes to store. */
  recoveryCodes(adminId: string): { codes: string[]; hashes: string[] };
  /** The stored form of a typed recovery code; undefined when it cannot be one. */
  recoveryHashOf(adminId: string, input: string): string | undefined;
}

export function createTotpCodes(masterKey: Buffer): TotpCodes {
  const recoveryKey = deriveSubkey(masterKey, 'control-plane:admin-recovery-codes');
  const mac = (adminId: string, normalized: string): string =>
    createHmac('sha256', recoveryKey).update(`${adminId}:${normalized}`, 'utf8').digest('hex');
  return {
    newSecret(adminId, label) {
      const secret = new Secret({ buffer: randomBytes(SECRET_BYTES).buffer }).base32;
      return {
        secret,
        sealed: encryptSecret(masterKey, secret, aadOf(adminId)),
        uri: totpOf(secret, label).toString(),
      };
    },
    match(adminId, sealed, code, now) {
      const typed = asTotpCode(code);
      if (typed === undefined) return undefined;
      const secret = decryptSecret(masterKey, sealed, aadOf(adminId)).toString('utf8');
      const timestamp = now.getTime();
      // otpauth compares each candidate of the window in constant time.
      const delta = totpOf(secret).validate({ token: typed, timestamp, window: WINDOW });
      if (delta === null) return undefined;
      return TOTP.counter({ period: PERIOD, timestamp }) + delta;
    },
    recoveryCodes(adminId) {
      const codes: string[] = [];
      const hashes: string[] = [];
      while (codes.length < RECOVERY_CODE_COUNT) {
        let raw = '';
        for (let i = 0; i < RECOVERY_LENGTH; i += 1) {
          raw += ALPHABET.charAt(randomInt(ALPHABET.length));
        }
        const hash = mac(adminId, raw);
        if (hashes.includes(hash)) continue;
        codes.push(`${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`);
        hashes.push(hash);
      }
      return { codes, hashes };
    },
    recoveryHashOf(adminId, input) {
      // Case, dashes and spaces do not matter; Crockford's look-alikes read as the digit.
      const compact = input
        .toLowerCase()
        .replace(/[\s-]/g, '')
        .replace(/[il]/g, '1')
        .replace(/o/g, '0');
      if (compact.length !== RECOVERY_LENGTH) return undefined;
      for (const char of compact) if (!ALPHABET.includes(char)) return undefined;
      return mac(adminId, compact);
    },
  };
}
