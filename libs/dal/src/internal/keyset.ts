import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
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

/** A keyset position: the last row's timestamp column and id. */
interface CursorKey {
  at: Date;
  id: string;
}

/** Issues and checks the opaque cursors of every list. */
export interface CursorCodec {
  encode(key: CursorKey): string;
  /** Throws `InvalidCursorError` for anything this codec (this key) did not issue. */
  decode(cursor: string): CursorKey;
}

const cursorSchema = z.strictObject({
  t: z.number().int().min(0).max(8.64e15),
  i: z.string().min(1).max(64),
});
const B64URL = /^[A-Za-z0-9_-]+$/;
// The MAC covers a version label, so a future format cannot be confused with this one.
const MAC_LABEL = 'hellojohn-cursor-v1';
const MAC_BYTES = 32;
const MIN_SECRET_BYTES = 16;

/**
 * Cursors signed with HMAC-SHA256 under `secret`: one base64url token holding the MAC, then the
 * JSON position. A client can read the position but not change it: an edited or forged cursor is
 * refused before any query, and so is any respelling of a real one (only the canonical base64url
 * of the bytes is accepted). Without a secret, a random one per codec: cursors then last as long
 * as the process (tests, tools).
 *
 * @example
 * const cursors = createCursorCodec(deriveSubkey(masterKey, 'pagination-cursor:data-plane'));
 */
export function createCursorCodec(secret: Buffer | undefined): CursorCodec {
  if (secret !== undefined && secret.length < MIN_SECRET_BYTES) {
    throw new RangeError(`cursor secret must be at least ${MIN_SECRET_BYTES} bytes`);
  }
  const key = secret ?? randomBytes(32);
  const macOf = (json: Buffer): Buffer =>
    createHmac('sha256', key).update(MAC_LABEL).update(json).digest();

  return {
    encode({ at, id }) {
      const json = Buffer.from(JSON.stringify({ t: at.getTime(), i: id }));
      return Buffer.concat([macOf(json), json]).toString('base64url');
    },
    decode(cursor) {
      try {
        if (!B64URL.test(cursor)) throw new Error('not base64url');
        const bytes = Buffer.from(cursor, 'base64url');
        if (bytes.toString('base64url') !== cursor) throw new Error('not canonical base64url');
        if (bytes.length <= MAC_BYTES) throw new Error('too short');
        const json = bytes.subarray(MAC_BYTES);
        if (!timingSafeEqual(bytes.subarray(0, MAC_BYTES), macOf(json))) {
          throw new Error('bad MAC');
        }
        const parsed = cursorSchema.parse(JSON.parse(json.toString('utf8')));
        return { at: new Date(parsed.t), id: parsed.i };
      } catch (err) {
        throw new InvalidCursorError(undefined, { cause: err });
      }
    },
  };
}

function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`limit must be a positive integer, got ${String(limit)}`);
  }
  return Math.min(limit, MAX_PAGE_SIZE);
}

/** How a list pages: its cursor codec, direction and timestamp column. */
export interface KeysetOptions<T> {
  cursors: CursorCodec;
  /** Default `asc`. */
  order?: 'asc' | 'desc';
  /** The timestamp column paged on together with `id`, and its value in a row; default `created_at`. */
  by?: { column: string; value: (row: T) => Date };
  /** The id column, qualified when the query joins tables; default `id`. */
  idColumn?: string;
}

/**
 * Keyset pagination on (timestamp column, id), `created_at` by default: stable under concurrent
 * inserts. The cursor is opaque and signed (see {@link createCursorCodec}).
 */
export async function keysetPage<T extends { createdAt: Date; id: string }>(
  query: Knex.QueryBuilder,
  request: PageRequest,
  parse: (row: unknown) => T,
  options: KeysetOptions<T>,
): Promise<Page<T>> {
  const limit = checkLimit(request.limit);
  const order = options.order ?? 'asc';
  const column = options.by?.column ?? 'created_at';
  const valueOf = options.by?.value ?? ((row: T) => row.createdAt);
  const cmp = order === 'asc' ? '>' : '<';
  const idColumn = options.idColumn ?? 'id';
  if (request.cursor !== undefined) {
    const after = options.cursors.decode(request.cursor);
    void query.where((outer) => {
      void outer.where(column, cmp, after.at).orWhere((inner) => {
        void inner.where(column, after.at).andWhere(idColumn, cmp, after.id);
      });
    });
  }
  const raw = (await query
    .orderBy([
      { column, order },
      { column: idColumn, order },
    ])
    .limit(limit + 1)) as unknown[];
  const rows = raw.slice(0, limit).map(parse);
  const last = rows[rows.length - 1];
  return {
    rows,
    nextCursor:
      raw.length > limit && last
        ? options.cursors.encode({ at: valueOf(last), id: last.id })
        : null,
  };
}
