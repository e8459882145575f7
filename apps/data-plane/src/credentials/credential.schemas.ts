import { z } from 'zod';

/**
 * Trimmed and NFKC-normalised before the format check, so full-width and other compatibility
 * forms validate as the address they fold to (the lookup key also lower-cases, see
 * normalize-email.ts).
 */
export const Email = z
  .string()
  .trim()
  .normalize('NFKC')
  .pipe(z.email('must be an email address').max(254));

/** Upper bound only; the tenant's password policy decides the real limits. */
export const Password = z.string().min(1).max(1024);
