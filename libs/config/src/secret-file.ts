import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Reads a generated secret from `path`, creating it (mode 0600) with `bytes` of randomness the
 * first time. Only used in the embedded default: production must pass secrets explicitly.
 */
export function readOrCreateSecretFile(
  path: string,
  bytes: number,
): { value: string; created: boolean } {
  if (existsSync(path)) {
    return { value: readFileSync(path, 'utf8').trim(), created: false };
  }
  mkdirSync(dirname(path), { recursive: true });
  const value = randomBytes(bytes).toString('base64');
  writeFileSync(path, `${value}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return { value, created: true };
}
