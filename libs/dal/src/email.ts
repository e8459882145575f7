/**
 * The canonical form of an email address, the one unique indexes, look-ups and rate-limit keys
 * use on both planes: trimmed, NFKC-normalised (so full-width and compatibility spellings of one
 * address collide instead of making look-alike accounts) and lower-cased.
 *
 * @example
 * normalizeEmail('  Ａda@Example.COM ') // 'ada@example.com'
 */
export function normalizeEmail(email: string): string {
  return email.trim().normalize('NFKC').toLowerCase();
}
