import { createHash } from 'node:crypto';
import bcrypt from 'bcrypt';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /**
   * True only when `hash` is defined and matches. With `hash` undefined it still compares against
   * a dummy hash of the same cost, so an unknown account costs the same time as a wrong password.
   */
  verify(password: string, hash: string | undefined): Promise<boolean>;
}

/**
 * bcrypt reads at most 72 bytes and stops at a NUL byte. The password is therefore first reduced
 * to the base64 of its SHA-256 (44 ASCII characters), so every character of a long passphrase
 * counts and no input is silently truncated.
 */
function prehash(password: string): string {
  return createHash('sha256').update(password.normalize('NFKC'), 'utf8').digest('base64');
}

/**
 * Password hashing with bcrypt at `cost` (10-15 in production; tests use 4).
 *
 * @example
 * const hasher = createPasswordHasher(11);
 * const ok = await hasher.verify(input, stored?.hash);
 */
export function createPasswordHasher(cost: number): PasswordHasher {
  const dummy = bcrypt.hashSync(prehash('hellojohn-dummy-password-for-timing'), cost);
  return {
    hash: (password) => bcrypt.hash(prehash(password), cost),
    async verify(password, hash) {
      const matches = await bcrypt.compare(prehash(password), hash ?? dummy);
      return hash !== undefined && matches;
    },
  };
}
