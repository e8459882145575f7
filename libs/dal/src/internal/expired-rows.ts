import type { Knex } from 'knex';

/** The most rows one sweep call deletes, whatever the caller asks. */
const MAX_SWEEP = 1000;

/**
 * Deletes up to `limit` (at most 1000) rows of `table` whose `expires_at` is before `before`,
 * the soonest expired first; returns how many. Two statements, because no single bounded DELETE
 * is portable: pg has no `DELETE ... LIMIT`, and MySQL/MariaDB refuse `LIMIT` in an `IN`
 * subquery. The delete re-checks the bound, so a row extended in between survives.
 */
export async function deleteExpiredRows(
  db: Knex | Knex.Transaction,
  table: string,
  before: Date,
  limit: number,
): Promise<number> {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`limit must be a positive integer, got ${String(limit)}`);
  }
  const ids = (await db(table)
    .where('expires_at', '<', before)
    .orderBy([
      { column: 'expires_at', order: 'asc' },
      { column: 'id', order: 'asc' },
    ])
    .limit(Math.min(limit, MAX_SWEEP))
    .pluck('id')) as string[];
  if (ids.length === 0) return 0;
  return db(table).whereIn('id', ids).where('expires_at', '<', before).del();
}
