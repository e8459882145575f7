import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { decryptSecret, encryptSecret } from '@hellojohn/tokens';
import QRCode from 'qrcode';

/** RFC 6238 as every authenticator app reads it: SHA-1, 6 digits, 30 s. */
const PERIOD = 30;
const DIGITS = 6;
/** One step either way: a phone clock a little off, or a code typed as it turned over. */
const WINDOW = 1;
/** 160 bits, the HMAC-SHA1 block the RFC recommends. */
const SECRET_BYTES = 20;

const aadOf = (tenantId: string, factorId: string): string =>
  `tenant:${tenantId}:mfa-totp:${factorId}`;

function totpOf(secretBase32: string, issuer = '', label = ''): TOTP {
  return new TOTP({
    issuer,
    label,
    algorithm: 'SHA1',
    digits: DIGITS,
    period: PERIOD,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** A new shared secret (base32, as authenticator apps show it). */
export function newTotpSecret(): string {
  return new Secret({ buffer: randomBytes(SECRET_BYTES).buffer }).base32;
}

/** The secret sealed with the master key, bound to its tenant and factor. */
export function sealTotpSecret(
  masterKey: Buffer,
  tenantId: string,
  factorId: string,
  secret: string,
): string {
  return encryptSecret(masterKey, secret, aadOf(tenantId, factorId));
}

export function openTotpSecret(
  masterKey: Buffer,
  tenantId: string,
  factorId: string,
  sealed: string,
): string {
  return decryptSecret(masterKey, sealed, aadOf(tenantId, factorId)).toString('utf8');
}

/** The `otpauth://` URI an authenticator app imports (issuer = tenant name, label = email). */
export function otpauthUri(secret: string, issuer: string, label: string): string {
  return totpOf(secret, issuer, label).toString();
}

/** The URI as an SVG QR code, drawn here (the secret never goes to a third-party renderer). */
export function qrSvgOf(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

/**
 * The time step `code` is valid for at `now` (±1 step), or undefined. The caller stores the step
 * with a conditional update so each step is accepted once (the replay guard). otpauth compares
 * each candidate in constant time.
 */
export function matchTotp(secret: string, code: string, now: Date): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const timestamp = now.getTime();
  const delta = totpOf(secret).validate({ token: code, timestamp, window: WINDOW });
  if (delta === null) return undefined;
  return TOTP.counter({ period: PERIOD, timestamp }) + delta;
}
