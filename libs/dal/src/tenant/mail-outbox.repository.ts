import type { Knex } from 'knex';
import { z } from 'zod';
import { mapDbError } from '../db-errors';
import { countRow, dbDate, dbDateOrNull, dbInt } from '../internal/columns';
import { timeOrderedUuid } from '../internal/ids';

/** Where a mail is: waiting (or retrying), delivered, or given up on after the last retry. */
export const mailStatuses = ['pending', 'sent', 'dead'] as const;
export type MailStatus = (typeof mailStatuses)[number];

const TABLE = 'mail_outbox';
/** Column limits of the migration, checked here so every driver refuses alike. */
const MAX_KIND = 64;
const MAX_ADDRESS = 320;
const MAX_LOCALE = 16;
const MAX_ERROR = 1000;
/** The most rows one call claims, lists or deletes, whatever the caller asks. */
const MAX_BATCH = 1000;

const outboxMailSchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    to_address: z.string(),
    locale: z.string(),
    payload: z.string(),
    status: z.enum(mailStatuses),
    attempts: dbInt,
    next_attempt_at: dbDate,
    locked_until: dbDateOrNull,
    last_error: z.string().nullable(),
    created_at: dbDate,
    sent_at: dbDateOrNull,
  })
  .transform((r) => ({
    id: r.id,
    kind: r.kind,
    toAddress: r.to_address,
    locale: r.locale,
    /** Opaque to this layer: the mail layer's ciphertext of the template variables. */
    payload: r.payload,
    status: r.status,
    /** Failed deliveries so far. */
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    /** The claim's lease: until then no other relay takes the row. */
    lockedUntil: r.locked_until,
    lastError: r.last_error,
    createdAt: r.created_at,
    sentAt: r.sent_at,
  }));

/** One mail in a tenant's outbox. */
export type OutboxMailRow = z.output<typeof outboxMailSchema>;

/** What {@link MailOutboxRepository.enqueue} needs. */
export interface NewOutboxMail {
  /** The template, e.g. 'verify_email' (at most 64 characters). */
  kind: string;
  /** At most 320 characters. */
  toAddress: string;
  /** BCP 47 tag the template is rendered in (at most 16 characters). */
  locale: string;
  /**
   * The template variables, already encrypted by the mail layer: they hold links with one-time
   * tokens, which must not sit in the database in the clear.
   */
  payload: string;
}

/**
 * A tenant's mail outbox: mail is written here (in the caller's transaction when it has one) and
 * a relay on any replica delivers it, retrying with back-off until it is sent or dead.
 *
 * @example
 * await tenant.db.mailOutbox.enqueue({ kind: 'verify_email', toAddress, locale: 'en', payload });
 * // the relay, on any replica:
 * for (const mail of await tenant.db.mailOutbox.claimDue(new Date(), 10, 60_000)) {
 *   try { await send(mail); await tenant.db.mailOutbox.markSent(mail.id, new Date()); }
 *   catch (err) { await tenant.db.mailOutbox.markFailed(mail.id, String(err), backOff(mail)); }
 * }
 */
export interface MailOutboxRepository {
  /** Stores a mail as pending, attempts 0, due now. `RangeError` for an over-long field. */
  enqueue(mail: NewOutboxMail): Promise<OutboxMailRow>;
  /**
   * Claims up to `limit` (at most 1000) due mails (pending, `next_attempt_at <= now`, not locked
   * or the lock lapsed) by setting `locked_until = now + lockMs`, soonest due first. Concurrent
   * claimers (two replicas) never get the same row: each row is taken by a conditional update
   * that re-checks the claim conditions, and only the rows this call's update changed are
   * returned. A relay that dies mid-send frees its rows when `lockMs` lapses, so pick a lease
   * well above one SMTP round trip. Call it on `tenant.db`, not inside a transaction: each claim
   * should commit at once (a transaction would hold the row locks, and on SQLite its read could
   * not be upgraded to a write beside another writer).
   */
  claimDue(now: Date, limit: number, lockMs: number): Promise<OutboxMailRow[]>;
  /** Marks a pending mail sent and releases its lock. A sent or dead mail is left as it is. */
  markSent(id: string, now: Date): Promise<void>;
  /**
   * Records a failed delivery of a pending mail: attempts + 1, `last_error` (cut to 1000
   * characters), lock released, retried at `nextAttemptAt`; null gives up: status 'dead'.
   * A sent or dead mail is left as it is (a late failure must not undo a delivery).
   */
  markFailed(id: string, error: string, nextAttemptAt: Date | null): Promise<void>;
  /** Mails still to deliver (due or waiting for a retry). */
  countPending(): Promise<number>;
  /** The `limit` (at most 1000) newest mails, oldest first, newest last; any status. */
  listRecent(limit: number): Promise<OutboxMailRow[]>;
  /**
   * Deletes up to `limit` (at most 1000) mails sent before `before`, oldest first; returns how
   * many. A sweeper calls it until it returns less than `limit`. Pending and dead mails stay.
   */
  deleteSentBefore(before: Date, limit: number): Promise<number>;
  /**
   * Deletes up to `limit` (at most 1000) dead mails queued before `before`, oldest first; returns
   * how many. Dead mails are kept a while for the operator to read `last_error`; pending and sent
   * mails stay.
   */
  deleteDeadBefore(before: Date, limit: number): Promise<number>;
}

function assertLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`limit must be a positive integer, got ${String(limit)}`);
  }
  return Math.min(limit, MAX_BATCH);
}

function assertMaxLength(value: string, max: number, field: string): void {
  if (value.length === 0 || value.length > max) {
    throw new RangeError(`${field} must be 1 to ${String(max)} characters`);
  }
}

/** Cuts to `max` UTF-16 units without leaving half a surrogate pair at the end. */
function truncate(value: string, max: number): string {
  if (value.length <= max) return value;
  const cut = value.slice(0, max);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/** Builds the mail-outbox repository over a tenant's knex handle or transaction. */
export function createMailOutboxRepository(db: Knex | Knex.Transaction): MailOutboxRepository {
  const parse = (row: unknown): OutboxMailRow => outboxMailSchema.parse(row);
  /** The rows a claim may take at `now`; re-applied by every claiming update. */
  const claimable = (query: Knex.QueryBuilder, now: Date): Knex.QueryBuilder =>
    query
      .where({ status: 'pending' })
      .where('next_attempt_at', '<=', now)
      .where((q) => {
        void q.whereNull('locked_until').orWhere('locked_until', '<=', now);
      });
  return {
    async enqueue(mail) {
      assertMaxLength(mail.kind, MAX_KIND, 'kind');
      assertMaxLength(mail.toAddress, MAX_ADDRESS, 'toAddress');
      assertMaxLength(mail.locale, MAX_LOCALE, 'locale');
      const now = new Date();
      const raw = {
        id: timeOrderedUuid(now.getTime()),
        kind: mail.kind,
        to_address: mail.toAddress,
        locale: mail.locale,
        payload: mail.payload,
        status: 'pending',
        attempts: 0,
        next_attempt_at: now,
        locked_until: null,
        last_error: null,
        created_at: now,
        sent_at: null,
      };
      try {
        await db(TABLE).insert(raw);
      } catch (err) {
        throw mapDbError(err);
      }
      return parse(raw);
    },
    async claimDue(now, limit, lockMs) {
      const max = assertLimit(limit);
      if (!Number.isInteger(lockMs) || lockMs < 1) {
        throw new RangeError(`lockMs must be a positive integer, got ${String(lockMs)}`);
      }
      const candidates = (await claimable(db(TABLE), now)
        .orderBy([
          { column: 'next_attempt_at', order: 'asc' },
          { column: 'id', order: 'asc' },
        ])
        .limit(max)
        .pluck('id')) as string[];
      if (candidates.length === 0) return [];
      // The read above takes no lock (and under MariaDB's repeatable read may be a stale
      // snapshot), so two relays can pick the same candidates. Each row is then taken by its own
      // conditional update, which every driver evaluates against the latest committed row
      // (pg re-checks the WHERE after waiting on a row lock; InnoDB updates read the current
      // version; SQLite has one writer): exactly one claimer's update changes it. Per row,
      // because one update over all candidates could not tell which rows this call got.
      const lockedUntil = new Date(now.getTime() + lockMs);
      const claimed: string[] = [];
      for (const id of candidates) {
        const count = await claimable(db(TABLE).where({ id }), now).update({
          locked_until: lockedUntil,
        });
        if (count === 1) claimed.push(id);
      }
      if (claimed.length === 0) return [];
      const rows = (await db(TABLE)
        .whereIn('id', claimed)
        .orderBy([
          { column: 'next_attempt_at', order: 'asc' },
          { column: 'id', order: 'asc' },
        ])) as unknown[];
      return rows.map(parse);
    },
    async markSent(id, now) {
      await db(TABLE)
        .where({ id, status: 'pending' })
        .update({ status: 'sent', sent_at: now, locked_until: null });
    },
    async markFailed(id, error, nextAttemptAt) {
      await db(TABLE)
        .where({ id, status: 'pending' })
        .update({
          attempts: db.raw('?? + 1', ['attempts']),
          last_error: truncate(error, MAX_ERROR),
          locked_until: null,
          ...(nextAttemptAt === null ? { status: 'dead' } : { next_attempt_at: nextAttemptAt }),
        });
    },
    async countPending() {
      const row: unknown = await db(TABLE).where({ status: 'pending' }).count({ n: '*' }).first();
      return countRow.parse(row).n;
    },
    async listRecent(limit) {
      // Ids are time-ordered (UUIDv7), so (created_at, id) is insertion order within a process.
      const rows = (await db(TABLE)
        .orderBy([
          { column: 'created_at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])
        .limit(assertLimit(limit))) as unknown[];
      return rows.map(parse).reverse();
    },
    async deleteSentBefore(before, limit) {
      // Two statements, as deleteExpiredRows: no bounded DELETE is portable.
      const ids = (await db(TABLE)
        .where({ status: 'sent' })
        .where('sent_at', '<', before)
        .orderBy([
          { column: 'sent_at', order: 'asc' },
          { column: 'id', order: 'asc' },
        ])
        .limit(assertLimit(limit))
        .pluck('id')) as string[];
      if (ids.length === 0) return 0;
      return db(TABLE)
        .whereIn('id', ids)
        .where({ status: 'sent' })
        .where('sent_at', '<', before)
        .del();
    },
    async deleteDeadBefore(before, limit) {
      const ids = (await db(TABLE)
        .where({ status: 'dead' })
        .where('created_at', '<', before)
        .orderBy([
          { column: 'created_at', order: 'asc' },
          { column: 'id', order: 'asc' },
        ])
        .limit(assertLimit(limit))
        .pluck('id')) as string[];
      if (ids.length === 0) return 0;
      return db(TABLE)
        .whereIn('id', ids)
        .where({ status: 'dead' })
        .where('created_at', '<', before)
        .del();
    },
  };
}
