import { z } from 'zod';

/** Every scheme an import may bring (docs/migration.md has each one's fields). */
export const IMPORT_ALGORITHMS = [
  'bcrypt',
  'argon2id',
  'argon2i',
  'scrypt',
  'firebase-scrypt',
  'pbkdf2-sha1',
  'pbkdf2-sha256',
  'pbkdf2-sha512',
  'sha256-salted',
  'sha512-salted',
  'md5-crypt',
] as const;
export type ImportAlgorithm = (typeof IMPORT_ALGORITHMS)[number];

/** Marks a bcrypt hash made by HelloJohn (bcrypt of the base64 SHA-256 of the NFKC password). */
export const NATIVE_PREHASH = 'sha256-nfkc-base64';

/** `password_hash` of an import line, as sent. Checked per algorithm by `normalizePasswordHash`. */
export const PasswordHashInput = z.strictObject({
  algorithm: z.enum(IMPORT_ALGORITHMS),
  hash: z.string().min(1).max(1024),
  salt: z.string().max(1024).optional(),
  params: z.record(z.string(), z.union([z.string().max(1024), z.number()])).optional(),
});
export type PasswordHashInput = z.infer<typeof PasswordHashInput>;
