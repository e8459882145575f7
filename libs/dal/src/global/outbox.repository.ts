import type { Knex } from 'knex';
import { z } from 'zod';
import { driverOf } from '../connect';
import { mapDbError } from '../db-errors';
import { countRow, dbDate, dbInt, dbJson, toJson } from '../internal/columns';

const outboxSchema = z
  .object({
    seq: dbInt,
    id: z.string(),
    type: z.string(),
    tenant_id: z.string().nullable(),
    payload: dbJson,
    created_at: dbDate,
    attempts: dbInt,
  })
  .transform((r) => ({
    seq: r.seq,
    id: r.id,
    type: r.type,
    tenantId: r.tenant_id,
    payload: r.payload,
    createdAt: r.created_at,
    attempts: r.attempts,
  }));

/** An event waiting in the outbox. */
export type OutboxRow = z.output<typeof outboxSchema>;

/** An event to write in the same transaction as the change it reports. */
export interface NewOutboxEvent {
  id: string;
  type: string;
  tenantId: string | null;
  payload: unknown;
}

/** The transactional outbox: written with the change, drained by one relay at a time. */
export interface OutboxRepository {
  /** Call inside `GlobalDb.transaction` so the event commits (or not) with the change. */
  add(event: NewOutboxEvent): Promise<void>;
  /**
   * In one transaction: takes the cluster-wide relay lock, reads up to `limit` unsent rows in
   * `seq` order, calls `publish`, and marks sent exactly the ids it returns (those confirmed by
   * the broker). Returns how many rows were marked.
   */
  withLockedBatch(
    limit: number,
    publish: (rows: OutboxRow[]) => Promise<string[]>,
  ): Promise<number>;
  recordFailure(id: string, message: string): Promise<void>;
  countPending(): Promise<number>;
  /** Deletes rows sent before `olderThan`; returns how many. */
  purgeSent(olderThan: Date): Promise<number>;
}

const MAX_ERROR_LENGTH = 2000;

async function lockRelay(trx: Knex.Transaction): Promise<void> {
  if (driverOf(trx) === 'sqlite') {
    // SQLite has no row locks. A no-op write takes the database write lock now, so a relay in
    // another process waits (busy_timeout) here instead of failing later when it upgrades.
    await trx('outbox_relay_lock').where({ id: 1 }).update({ id: 1 });
    return;
  }
  const row: unknown = await trx('outbox_relay_lock').where({ id: 1 }).forUpdate().first();
  if (row === undefined) throw new Error('outbox_relay_lock row is missing: run the migrations');
}

/** Builds the outbox repository over a knex handle or transaction. */
export function createOutboxRepository(db: Knex | Knex.Transaction): OutboxRepository {
  return {
    async add(event) {
      try {
        await db('outbox').insert({
          id: event.id,
          type: event.type,
          tenant_id: event.tenantId,
          payload: toJson(event.payload),
          created_at: new Date(),
          attempts: 0,
        });
      } catch (err) {
        throw mapDbError(err);
      }
    },
    withLockedBatch(limit, publish) {
      if (!Number.isInteger(limit) || limit < 1) {
        return Promise.reject(new RangeError('limit must be a positive integer'));
      }
      return db.transaction(async (trx): Promise<number> => {
        await lockRelay(trx);
        const raw = (await trx('outbox')
          .select('seq', 'id', 'type', 'tenant_id', 'payload', 'created_at', 'attempts')
          .whereNull('sent_at')
          .orderBy('seq', 'asc')
          .limit(limit)) as unknown[];
        if (raw.length === 0) return 0;
        const rows = raw.map((row) => outboxSchema.parse(row));
        const batchIds = new Set(rows.map((row) => row.id));
        const confirmed = (await publish(rows)).filter((id) => batchIds.has(id));
        if (confirmed.length === 0) return 0;
        return trx('outbox')
          .whereIn('id', [...new Set(confirmed)])
          .whereNull('sent_at')
          .update({ sent_at: new Date() });
      });
    },
    async recordFailure(id, message) {
      await db('outbox')
        .where({ id })
        .update({
          attempts: db.raw('?? + 1', ['attempts']),
          last_error: message.slice(0, MAX_ERROR_LENGTH),
        });
    },
    async countPending() {
      const row: unknown = await db('outbox').whereNull('sent_at').count({ n: '*' }).first();
      return countRow.parse(row).n;
    },
    purgeSent(olderThan) {
      return db('outbox').whereNotNull('sent_at').where('sent_at', '<', olderThan).delete();
    },
  };
}
