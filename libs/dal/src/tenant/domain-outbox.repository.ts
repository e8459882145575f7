import type { Knex } from 'knex';
import { z } from 'zod';
import { mapDbError } from '../db-errors';
import { countRow, dbDate, dbInt, dbJson, toJson } from '../internal/columns';

const TABLE = 'outbox';
/** The most rows one call lists or deletes, whatever the caller asks. */
const MAX_BATCH = 1000;
const MAX_ERROR = 1000;

const domainOutboxSchema = z
  .object({
    seq: dbInt,
    id: z.string(),
    type: z.string(),
    payload: dbJson,
    created_at: dbDate,
    attempts: dbInt,
  })
  .transform((r) => ({
    seq: r.seq,
    id: r.id,
    type: r.type,
    /** The full event envelope, as written. */
    payload: r.payload,
    createdAt: r.created_at,
    /** Failed publications so far. */
    attempts: r.attempts,
  }));

/** A domain event waiting in a tenant's outbox. */
export type DomainOutboxRow = z.output<typeof domainOutboxSchema>;

/** A domain event to write in the same transaction as the change it reports. */
export interface NewDomainOutboxEvent {
  /** The event id (a UUID): the idempotency key consumers dedupe on. */
  id: string;
  type: string;
  /** The full event envelope. */
  payload: unknown;
}

/**
 * Told about outbox writes, so a relay can be woken without polling every tenant
 * (`createTenantPools({ domainEvents })`).
 */
export interface DomainOutboxHooks {
  /**
   * Awaited after the insert, before the caller's transaction commits: the place to remember
   * durably that the tenant has events waiting (a crash right after the commit then loses
   * nothing). Should not throw; a rejection is ignored.
   */
  appended?(tenantId: string): Promise<void>;
  /** Called once the row is committed (at once when written outside a transaction). */
  committed?(tenantId: string): void;
}

/**
 * A tenant's domain-event outbox (`user.*`, `session.*`, `mfa.*`, `organization.*`,
 * `membership.*`): written in the change's transaction, drained in `seq` order by the one relay
 * that holds the tenant's lock.
 *
 * @example
 * await tenant.db.transaction(async (tx) => {
 *   const user = await tx.users.create(input);
 *   await tx.domainEvents.append({ id: event.id, type: event.type, payload: event });
 * });
 */
export interface DomainOutboxRepository {
  /** Writes an event; call it on the transaction of the change it reports. */
  append(event: NewDomainOutboxEvent): Promise<void>;
  /** Up to `limit` (at most 1000) unsent events, oldest `seq` first. */
  listUnsent(limit: number): Promise<DomainOutboxRow[]>;
  /** Marks these events sent (after the broker confirmed them); returns how many changed. */
  markSent(ids: readonly string[], now: Date): Promise<number>;
  /** Notes a failed publication (attempts + 1, `last_error` cut to 1000 characters). */
  recordFailure(id: string, message: string): Promise<void>;
  /** Events not yet published. */
  countUnsent(): Promise<number>;
  /** Deletes up to `limit` (at most 1000) events sent before `before`, oldest first. */
  deleteSentBefore(before: Date, limit: number): Promise<number>;
}

function assertLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`limit must be a positive integer, got ${String(limit)}`);
  }
  return Math.min(limit, MAX_BATCH);
}

function isTransaction(db: Knex | Knex.Transaction): db is Knex.Transaction {
  return db.isTransaction === true;
}

/** The transaction whose COMMIT makes the row visible: a nested one only releases a savepoint. */
function outermost(trx: Knex.Transaction): Knex.Transaction {
  let outer = trx;
  while (outer.parentTransaction) outer = outer.parentTransaction;
  return outer;
}

/** Builds the domain-outbox repository over a tenant's knex handle or transaction. */
export function createDomainOutboxRepository(
  db: Knex | Knex.Transaction,
  tenantId: string,
  hooks: DomainOutboxHooks = {},
): DomainOutboxRepository {
  return {
    async append(event) {
      try {
        await db(TABLE).insert({
          id: event.id,
          type: event.type,
          payload: toJson(event.payload),
          created_at: new Date(),
          attempts: 0,
        });
      } catch (err) {
        throw mapDbError(err);
      }
      await hooks.appended?.(tenantId).catch(() => undefined);
      if (hooks.committed === undefined) return;
      if (isTransaction(db)) {
        // Resolves after COMMIT, rejects on rollback (then there is nothing to relay).
        outermost(db).executionPromise.then(
          () => {
            hooks.committed?.(tenantId);
          },
          () => undefined,
        );
      } else {
        hooks.committed(tenantId);
      }
    },
    async listUnsent(limit) {
      const rows = (await db(TABLE)
        .select('seq', 'id', 'type', 'payload', 'created_at', 'attempts')
        .whereNull('sent_at')
        .orderBy('seq', 'asc')
        .limit(assertLimit(limit))) as unknown[];
      return rows.map((row) => domainOutboxSchema.parse(row));
    },
    async markSent(ids, now) {
      if (ids.length === 0) return 0;
      return db(TABLE)
        .whereIn('id', [...new Set(ids)])
        .whereNull('sent_at')
        .update({ sent_at: now });
    },
    async recordFailure(id, message) {
      await db(TABLE)
        .where({ id })
        .update({
          attempts: db.raw('?? + 1', ['attempts']),
          last_error: message.slice(0, MAX_ERROR),
        });
    },
    async countUnsent() {
      const row: unknown = await db(TABLE).whereNull('sent_at').count({ n: '*' }).first();
      return countRow.parse(row).n;
    },
    async deleteSentBefore(before, limit) {
      const ids = (await db(TABLE)
        .whereNotNull('sent_at')
        .where('sent_at', '<', before)
        .orderBy('seq', 'asc')
        .limit(assertLimit(limit))
        .pluck('id')) as string[];
      if (ids.length === 0) return 0;
      return db(TABLE).whereIn('id', ids).delete();
    },
  };
}
