import type { Knex } from 'knex';
import { z } from 'zod';
import { InvalidCursorError } from '../db-errors';

/** One page of a list, and the cursor for the next one (null on the last page). */
export interface Page<T> {
  rows: T[];
  nextCursor: string | null;
}

/** `limit` rows after `cursor` (a value from a previous page's `nextCursor`). */
export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
}

/** The largest page any list returns, whatever the caller asks. */
export const MAX_PAGE_SIZE = 1000;

const cursorSchema = z.object({ t: z.number().int(), i: z.string().min(1).max(64) }).strict();

interface CursorKey {
  createdAt: Date;
  id: string;
}

function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify({ t: key.createdAt.getTime(), i: key.id })).toString(
    'base64url',
  );
}

function decodeCursor(cursor: string): CursorKey {
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    const parsed = cursorSchema.parse(
      JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')),
    );
    return { createdAt: new Date(parsed.t), id: parsed.i };
  } catch (err) {
    throw new InvalidCursorError(undefined, { cause: err });
  }
}

function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`limit must be a positive integer, got ${String(limit)}`);
  }
  return Math.min(limit, MAX_PAGE_SIZE);
}

/**
 * Keyset pagination on (created_at, id): stable under concurrent inserts, and the cursor is
 * opaque base64url so clients cannot depend on its content.
 */
export async function keysetPage<T extends CursorKey>(
  query: Knex.QueryBuilder,
  request: PageRequest,
  parse: (row: unknown) => T,
  order: 'asc' | 'desc' = 'asc',
): Promise<Page<T>> {
  const limit = checkLimit(request.limit);
  const cmp = order === 'asc' ? '>' : '<';
  if (request.cursor !== undefined) {
    const after = decodeCursor(request.cursor);
    void query.where((outer) => {
      void outer.where('created_at', cmp, after.createdAt).orWhere((inner) => {
        void inner.where('created_at', after.createdAt).andWhere('id', cmp, after.id);
      });
    });
  }
  const raw = (await query
    .orderBy([
      { column: 'created_at', order },
      { column: 'id', order },
    ])
    .limit(limit + 1)) as unknown[];
  const rows = raw.slice(0, limit).map(parse);
  const last = rows[rows.length - 1];
  return { rows, nextCursor: raw.length > limit && last ? encodeCursor(last) : null };
}
