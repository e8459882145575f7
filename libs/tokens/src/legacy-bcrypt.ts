import bcrypt from 'bcrypt';

/**
 * Compares a password with a bcrypt hash made elsewhere (`$2a$`, `$2b$`, `$2y$`), as that system
 * made it: the UTF-8 password itself, not HelloJohn's pre-hash. `$2y$` (PHP) is the same
 * algorithm as `$2b$`, so it is read as one.
 *
 * @example
 * const ok = await verifyForeignBcrypt(password, '$2y$10$...');
 */
export async function verifyForeignBcrypt(password: string, hash: string): Promise<boolean> {
  const normalized = hash.startsWith('$2y$') ? `$2b$${hash.slice(4)}` : hash;
  return bcrypt.compare(password, normalized);
}
