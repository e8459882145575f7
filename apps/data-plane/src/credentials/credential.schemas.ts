import { safeText } from '@hellojohn/http';
import { z } from 'zod';

/**
 * Trimmed and NFKC-normalised before the format check, so full-width and other compatibility
 * forms validate as the address they fold to (the lookup key also lower-cases, see
 * normalize-email.ts). No NUL, no lone surrogate (`safeText`).
 */
export const Email = safeText()
  .trim()
  .normalize('NFKC')
  .pipe(z.email('must be an email address').max(254));

/**
 * Upper bound only; the tenant's password policy decides the real limits. No NUL and no lone
 * surrogate (`safeText`): hashed as UTF-8, a lone surrogate would become U+FFFD, so
 * `pass\ud800` and `pass\udfff` would be one password (issue 15).
 */
export const Password = safeText().min(1).max(1024);
