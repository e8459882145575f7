import { createHash } from 'node:crypto';

/**
 * A short SHA-256 digest (base64url, 32 characters) of a limit key's subject, so the store never
 * holds an email address or a live token.
 *
 * @example
 * budgets.enforce([{ budget: 'email', key: digestKey(normalizeEmail(body.email)) }]);
 */
export function digestKey(value: string): string {
  return createHash('sha256').update(value).digest('base64url').slice(0, 32);
}
