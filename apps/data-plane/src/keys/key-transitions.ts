import type { SigningKeyRow, TenantDb } from '@hellojohn/dal';
import { MAX_TOKEN_TTL_SECONDS, retirementOf } from './key-schedule';

/** The earliest future moment a key changes state, so a cache can expire right then. */
export function nextTransitionAt(rows: readonly SigningKeyRow[], now: Date): number {
  let at = Number.POSITIVE_INFINITY;
  for (const row of rows) {
    const when =
      row.status === 'next' ? row.activatesAt : row.status === 'retiring' ? row.retiresAt : null;
    if (when && when.getTime() > now.getTime()) at = Math.min(at, when.getTime());
  }
  return at;
}

function isDue(rows: readonly SigningKeyRow[], now: Date): boolean {
  const t = now.getTime();
  return rows.some(
    (row) =>
      (row.status === 'next' && (row.activatesAt?.getTime() ?? 0) <= t) ||
      (row.status === 'retiring' && (row.retiresAt?.getTime() ?? 0) <= t),
  );
}

/**
 * Applies the transitions that are due at `now`: a `next` key whose `activates_at` has passed
 * becomes `active` and the key it replaces `retiring` (until the `retires_at` planned at rotation);
 * a `retiring` key whose `retires_at` has passed becomes `retired` (out of the JWKS). Each change
 * is a compare-and-set in one transaction, so replicas doing this at once change each key once.
 *
 * @returns whether anything changed.
 */
export async function applyDueTransitions(
  db: TenantDb,
  rows: readonly SigningKeyRow[],
  now: Date,
): Promise<boolean> {
  if (!isDue(rows, now)) return false;
  let changed = false;
  await db.transaction(async (tx) => {
    const t = now.getTime();
    const due = rows
      .filter((row) => row.status === 'next' && (row.activatesAt?.getTime() ?? 0) <= t)
      .sort((a, b) => (a.activatesAt?.getTime() ?? 0) - (b.activatesAt?.getTime() ?? 0));
    for (const next of due) {
      const activation = next.activatesAt ?? now;
      for (const old of rows) {
        if (old.status !== 'active' || old.alg !== next.alg) continue;
        // Planned at rotation from the tenant's token lifetime; if that write was lost, the
        // longest lifetime a tenant may configure.
        const retiresAt = old.retiresAt ?? retirementOf(activation, MAX_TOKEN_TTL_SECONDS);
        changed =
          (await tx.signingKeys.transition(old.kid, 'active', 'retiring', { retiresAt })) ||
          changed;
      }
      changed = (await tx.signingKeys.transition(next.kid, 'next', 'active')) || changed;
    }
    for (const row of rows) {
      if (row.status === 'retiring' && (row.retiresAt?.getTime() ?? 0) <= t) {
        changed = (await tx.signingKeys.transition(row.kid, 'retiring', 'retired')) || changed;
      }
    }
  });
  return changed;
}
