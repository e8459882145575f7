import type { TenantDb } from '@hellojohn/dal';

/**
 * Spent authorization codes are kept this long past their expiry: a late replay of a code still
 * answers `replayed` (and revokes what the code issued) rather than `invalid_grant` for unknown.
 */
const CODE_REPLAY_MEMORY_MS = 10 * 60_000;

/**
 * Deletes a tenant's expired interaction rows: login transactions, authorization codes, MFA
 * challenges, WebAuthn challenges and federation states. Each is dead once expired; the repositories refuse them
 * already, so this only keeps the tables small. `deleteAll` repeats a bounded delete until it
 * comes back short; returns how many rows went.
 */
export async function pruneExpiredInteractions(
  db: TenantDb,
  now: Date,
  deleteAll: (run: () => Promise<number>) => Promise<number>,
  batch: number,
): Promise<number> {
  const codesBefore = new Date(now.getTime() - CODE_REPLAY_MEMORY_MS);
  const counts = [
    await deleteAll(() => db.loginTransactions.deleteExpired(now, batch)),
    await deleteAll(() => db.authorizationCodes.deleteExpired(codesBefore, batch)),
    await deleteAll(() => db.mfaChallenges.deleteExpired(now, batch)),
    await deleteAll(() => db.webauthnChallenges.deleteExpired(now, batch)),
    // Federation round trips and pending links: dead after their 10 minutes, spent or not.
    await deleteAll(() => db.federationStates.deleteExpired(now, batch)),
  ];
  return counts.reduce((sum, count) => sum + count, 0);
}
