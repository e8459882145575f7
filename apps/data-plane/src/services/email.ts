/**
 * Canonical form of an email address for uniqueness: trimmed, NFKC-normalised (so full-width
 * and compatibility characters fold to their plain forms) and lower-cased, local part included.
 * One person therefore cannot hold two accounts through case or Unicode tricks.
 */
export function normalizeEmail(email: string): string {
  return email.trim().normalize('NFKC').toLowerCase();
}
