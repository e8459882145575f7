import { hkdfSync } from 'node:crypto';

const MASTER_KEY_BYTES = 32;

/**
 * A 32-byte key for one purpose, derived from the master key with HKDF-SHA256 (RFC 5869; empty
 * salt, info `hellojohn:{purpose}`), so the master key itself only ever encrypts secrets and
 * each use of a derived key (e.g. signing pagination cursors) has its own.
 *
 * @example
 * ```ts
 * const cursorSecret = deriveSubkey(config.masterKey, 'pagination-cursor:data-plane');
 * ```
 */
export function deriveSubkey(masterKey: Buffer, purpose: string): Buffer {
  if (!Buffer.isBuffer(masterKey) || masterKey.length !== MASTER_KEY_BYTES) {
    throw new TypeError(`master key must be ${MASTER_KEY_BYTES} bytes`);
  }
  if (purpose === '') throw new TypeError('purpose must not be empty');
  return Buffer.from(
    hkdfSync('sha256', masterKey, Buffer.alloc(0), `hellojohn:${purpose}`, MASTER_KEY_BYTES),
  );
}
