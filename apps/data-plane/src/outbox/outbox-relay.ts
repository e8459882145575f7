import type { TenantDb } from '@hellojohn/dal';
import { parseEvent, type EventBus } from '@hellojohn/events';
import type { Logger } from '@hellojohn/http';
import type { OutboxCoordination } from './coordination';
import type { DrainTrigger, OutboxMetrics } from './outbox-metrics';

/** Events one batch reads, publishes and marks. */
const BATCH = 100;
/** Sent events are kept this long (debugging, replay by hand), then deleted by later drains. */
const SENT_RETENTION_MS = 24 * 60 * 60_000;
const PRUNE_BATCH = 500;

/** What one drain of one tenant did. */
export type DrainResult =
  | { status: 'drained'; sent: number }
  | { status: 'failed'; sent: number }
  /** Another relay holds the tenant's lease (it will publish; the tenant stays waiting). */
  | { status: 'busy' }
  /** The tenant is unknown or not active: nothing to relay. */
  | { status: 'gone' };

export interface DomainOutboxRelay {
  /** Drains one tenant now under its lease (tests, the scheduler). */
  drain(tenantId: string, trigger: DrainTrigger): Promise<DrainResult>;
}

/**
 * Publishes a tenant's outbox in `seq` order to the bus, each event awaited until the broker
 * confirms it, and marks the confirmed ones sent: at-least-once, since a crash between the
 * confirm and the mark publishes them again, and consumers dedupe on the event id (the webhook
 * dispatcher inserts one delivery per event and webhook). One relay per tenant at a time: the
 * lease is taken first and extended between batches; a relay that finds its lease lapsed stops
 * before marking anything, so the next holder republishes rather than skipping.
 */
export function createDomainOutboxRelay(deps: {
  bus: EventBus;
  coordination: OutboxCoordination;
  /** The tenant's database, or undefined when it is unknown or not active. */
  tenantDb: (tenantId: string) => Promise<TenantDb | undefined>;
  metrics: OutboxMetrics;
  logger: Logger;
  /** Lease time; a dead holder's tenant is free again after it. Default 30 s. */
  leaseMs?: number;
  now?: () => Date;
}): DomainOutboxRelay {
  const log = deps.logger.child({ component: 'outbox-relay' });
  const leaseMs = deps.leaseMs ?? 30_000;
  const now = deps.now ?? (() => new Date());

  /** Publishes one batch; returns how many were confirmed and whether one failed. */
  async function publishBatch(
    db: TenantDb,
    rows: Awaited<ReturnType<TenantDb['domainEvents']['listUnsent']>>,
  ): Promise<{ confirmed: string[]; failed: boolean }> {
    const confirmed: string[] = [];
    for (const row of rows) {
      let event;
      try {
        event = parseEvent(row.payload);
      } catch (error) {
        // Cannot happen for rows recordDomainEvent wrote (it validates); a row that is not an
        // event is set aside (marked, with its error) rather than blocking the tenant forever.
        log.error(
          { tenant: db.tenantId, eventId: row.id, err: messageOf(error) },
          'invalid outbox row skipped',
        );
        await db.domainEvents.recordFailure(row.id, `invalid event: ${messageOf(error)}`);
        confirmed.push(row.id);
        continue;
      }
      try {
        await deps.bus.publish(event);
        confirmed.push(row.id);
      } catch (error) {
        deps.metrics.failed();
        log.warn(
          { tenant: db.tenantId, eventId: row.id, err: messageOf(error) },
          'outbox publish failed; the sweep retries',
        );
        await db.domainEvents.recordFailure(row.id, messageOf(error)).catch(() => undefined);
        return { confirmed, failed: true };
      }
    }
    return { confirmed, failed: false };
  }

  async function drainHeld(
    db: TenantDb,
    extend: () => Promise<boolean>,
  ): Promise<{ sent: number; failed: boolean }> {
    let sent = 0;
    for (;;) {
      const rows = await db.domainEvents.listUnsent(BATCH);
      if (rows.length === 0) return { sent, failed: false };
      const { confirmed, failed } = await publishBatch(db, rows);
      // Marking after a lapsed lease could race its next holder: leave the rows unsent, the
      // next holder publishes them again (a duplicate the consumers dedupe), never a loss.
      if (!(await extend())) return { sent, failed: true };
      const marked = await db.domainEvents.markSent(confirmed, now());
      sent += marked;
      deps.metrics.relayed(marked);
      if (failed) return { sent, failed: true };
      if (rows.length < BATCH) return { sent, failed: false };
    }
  }

  return {
    async drain(tenantId, trigger) {
      const lease = await deps.coordination.acquire(tenantId, leaseMs);
      if (lease === undefined) return { status: 'busy' };
      try {
        const db = await deps.tenantDb(tenantId);
        if (db === undefined) {
          await deps.coordination.clearWaiting(tenantId);
          deps.metrics.backlog(tenantId, 0);
          return { status: 'gone' };
        }
        deps.metrics.drained(trigger);
        // Cleared before reading: an event committed from here on is either read below or its
        // writer marks the tenant waiting again.
        await deps.coordination.clearWaiting(tenantId);
        const result = await drainHeld(db, () => lease.extend()).catch((error: unknown) => {
          log.warn({ tenant: tenantId, err: messageOf(error) }, 'outbox drain failed');
          return { sent: 0, failed: true };
        });
        if (result.failed) {
          await deps.coordination.markWaiting(tenantId);
          deps.metrics.backlog(tenantId, await db.domainEvents.countUnsent().catch(() => 0));
          return { status: 'failed', sent: result.sent };
        }
        deps.metrics.backlog(tenantId, 0);
        if (result.sent > 0) {
          await db.domainEvents
            .deleteSentBefore(new Date(now().getTime() - SENT_RETENTION_MS), PRUNE_BATCH)
            .catch(() => 0);
        }
        return { status: 'drained', sent: result.sent };
      } finally {
        await lease.release().catch(() => undefined);
      }
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
