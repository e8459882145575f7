import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { TokenError } from './errors';

const VERSION = 'v1';
const KEY_BYTES = 32;
// NIST SP 800-38D §8.2: 96-bit random IVs; safe for far more messages than we will ever seal.
const IV_BYTES = 12;
const TAG_BYTES = 16;
const B64URL = /^[A-Za-z0-9_-]*$/;

function assertMasterKey(masterKey: Buffer): void {
  if (!Buffer.isBuffer(masterKey) || masterKey.length !== KEY_BYTES) {
    throw new TypeError(`master key must be exactly ${KEY_BYTES} bytes`);
  }
}

/**
 * Seals `plaintext` with AES-256-GCM under the master key. `aad` binds the ciphertext to where it
 * is stored (e.g. `tenant:<id>:signing-key:<kid>`), so a sealed value copied to another row or
 * tenant will not decrypt there.
 *
 * @returns `v1.<iv>.<tag>.<ciphertext>`, each part base64url.
 * @example
 * ```ts
 * const sealed = encryptSecret(masterKey, dsn, `tenant:${id}:dsn`);
 * ```
 */
export function encryptSecret(masterKey: Buffer, plaintext: string | Buffer, aad?: string): string {
  assertMasterKey(masterKey);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', masterKey, iv, { authTagLength: TAG_BYTES });
  if (aad !== undefined) cipher.setAAD(Buffer.from(aad, 'utf8'));
  const input = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
  const ciphertext = Buffer.concat([cipher.update(input), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv, tag, ciphertext]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

/** Node's base64url decoder skips junk; accept only the canonical encoding so tampering shows. */
function decodePart(part: string): Buffer {
  const bytes = Buffer.from(part, 'base64url');
  if (!B64URL.test(part) || bytes.toString('base64url') !== part) {
    throw new TokenError('secret_undecryptable', 'malformed_part');
  }
  return bytes;
}

/**
 * Opens a value sealed by {@link encryptSecret}. Any tampering, a different master key or a
 * different `aad` throws `TokenError('secret_undecryptable')`.
 *
 * @example
 * ```ts
 * const dsn = decryptSecret(masterKey, row.dsnEncrypted, `tenant:${id}:dsn`).toString('utf8');
 * ```
 */
export function decryptSecret(masterKey: Buffer, sealed: string, aad?: string): Buffer {
  assertMasterKey(masterKey);
  const parts = sealed.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) {
    throw new TokenError('secret_undecryptable', 'unknown_format');
  }
  const [iv, tag, ciphertext] = parts.slice(1).map(decodePart);
  if (iv?.length !== IV_BYTES || tag?.length !== TAG_BYTES || ciphertext === undefined) {
    throw new TokenError('secret_undecryptable', 'malformed_part');
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', masterKey, iv, { authTagLength: TAG_BYTES });
    if (aad !== undefined) decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch (cause) {
    throw new TokenError('secret_undecryptable', 'authentication_failed', { cause });
  }
}
