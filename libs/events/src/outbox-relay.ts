import type { EventBus, EventsLogger } from './bus';
import { parseEvent } from './envelope';
import { errorMessage, silentLogger } from './internal/defaults';

/** One row of the control plane's `outbox` table. `payload` is the full event envelope. */
export interface OutboxRecord {
  seq: number;
  id: string;
  type: string;
  tenantId: string | null;
  payload: unknown;
  createdAt: Date;
  attempts: number;
}

/**
 * What the relay needs from the outbox; the control plane implements it with the DAL, so this lib
 * never touches SQL.
 */
export interface OutboxStore {
  /**
   * Locks up to `limit` unsent rows, oldest `seq` first (`FOR UPDATE SKIP LOCKED` where the
   * database has it, so two relays never publish the same row at once), calls `publish`, marks
   * exactly the ids it returns as sent, and commits. Returns how many rows were marked.
   */
  withLockedBatch(
    limit: number,
    publish: (rows: OutboxRecord[]) => Promise<string[]>,
  ): Promise<number>;
  /** Notes a failed attempt on a row (attempt count, last error) for operators. */
  recordFailure?(id: string, message: string): Promise<void>;
}

export interface OutboxRelayOptions {
  store: OutboxStore;
  bus: EventBus;
  /** Rows per transaction. Default 100. */
  batchSize?: number;
  /** Pause between polls when the outbox is empty. Default 500. */
  pollIntervalMs?: number;
  /** Longest pause after consecutive failures. Default 30000. */
  maxBackoffMs?: number;
  logger?: EventsLogger;
}

export interface OutboxRelay {
  /** Starts polling. Idempotent. */
  start(): void;
  /** Stops polling and waits for the batch in progress. */
  stop(): Promise<void>;
  /** Publishes everything pending now; resolves with how many rows were sent. Never rejects. */
  flush(): Promise<number>;
  /** Runs a poll as soon as possible (after a write), unless the relay is backing off. */
  kick(): void;
}

/**
 * Publishes outbox rows in `seq` order and marks each sent only after the broker confirmed it
 * (design §3: transactional outbox). Delivery is at-least-once: a crash after the confirm but before
 * the commit publishes the row again, and consumers dedupe on the event id.
 *
 * @example
 * const relay = createOutboxRelay({ store: outboxStore, bus, logger });
 * relay.start();
 * await tenants.create(input); relay.kick();
 */
export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { store, bus } = options;
  const logger = options.logger ?? silentLogger;
  const batchSize = options.batchSize ?? 100;
  const pollIntervalMs = options.pollIntervalMs ?? 500;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  let running = false;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  // Runs are chained so that the timer, flush() and kick() never publish concurrently.
  let tail: Promise<unknown> = Promise.resolve();

  /** One transaction: publish rows in order, stop at the first failure. */
  async function runBatch(): Promise<{ sent: number; full: boolean; failed: boolean }> {
    let failed: { id: string; message: string } | undefined;
    let fetched = 0;
    let sent: number;
    try {
      sent = await store.withLockedBatch(batchSize, async (rows) => {
        fetched = rows.length;
        const published: string[] = [];
        for (const row of [...rows].sort((a, b) => a.seq - b.seq)) {
          try {
            await bus.publish(parseEvent(row.payload));
            published.push(row.id);
          } catch (err) {
            failed = { id: row.id, message: errorMessage(err) };
            break;
          }
        }
        return published;
      });
    } catch (err) {
      logger.error({ err: errorMessage(err) }, 'outbox batch failed');
      return { sent: 0, full: false, failed: true };
    }
    if (failed) {
      logger.warn(
        { outboxId: failed.id, err: failed.message },
        'outbox publish failed; backing off',
      );
      await store.recordFailure?.(failed.id, failed.message).catch((err: unknown) => {
        logger.error(
          { outboxId: failed?.id, err: errorMessage(err) },
          'cannot record outbox failure',
        );
      });
    }
    return { sent, full: fetched >= batchSize, failed: failed !== undefined };
  }

  /** Batches until the outbox is drained or a batch fails. */
  async function drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const result = await runBatch();
      total += result.sent;
      if (result.failed) {
        failures += 1;
        return total;
      }
      failures = 0;
      if (!result.full) return total;
    }
  }

  function enqueue(): Promise<number> {
    const run = tail.then(drain, drain);
    tail = run.catch(() => undefined);
    return run.catch((err: unknown) => {
      logger.error({ err: errorMessage(err) }, 'outbox relay run failed');
      return 0;
    });
  }

  function nextDelay(): number {
    if (failures === 0) return pollIntervalMs;
    return Math.min(pollIntervalMs * 2 ** failures, maxBackoffMs);
  }

  function schedule(delayMs: number): void {
    if (!running) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      void enqueue().then(() => {
        schedule(nextDelay());
      });
    }, delayMs);
    timer.unref();
  }

  return {
    start() {
      if (running) return;
      running = true;
      schedule(0);
    },
    async stop() {
      running = false;
      clearTimeout(timer);
      timer = undefined;
      await tail;
    },
    flush: enqueue,
    kick() {
      if (running && failures === 0) schedule(0);
    },
  };
}
