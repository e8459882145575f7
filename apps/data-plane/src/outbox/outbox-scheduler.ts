import type { Logger } from '@hellojohn/http';
import type { OutboxCoordination } from './coordination';
import type { DrainTrigger, OutboxMetrics } from './outbox-metrics';
import type { DomainOutboxRelay } from './outbox-relay';

/** Tenants one replica drains at once. */
const CONCURRENCY = 4;
/** Waiting tenants one sweep takes (a sample; the next sweep takes others). */
const SWEEP_SAMPLE = 500;
/** A commit whose tenant's lease was busy retries after these pauses, then leaves it to the sweep. */
const BUSY_RETRIES_MS = [200, 1_000, 5_000];

export interface OutboxScheduler {
  /** Queues a drain of the tenant on this replica (coalesced with one already queued or running). */
  wake(tenantId: string, trigger: DrainTrigger): void;
  /** Wakes every tenant marked waiting (the timer runs it every sweep interval). */
  sweepWaiting(): Promise<void>;
  /** Wakes every active tenant (the timer runs it every full-sweep interval). */
  sweepAll(): Promise<void>;
  /** Resolves once nothing is queued or running (tests). */
  idle(): Promise<void>;
  start(): void;
  stop(): Promise<void>;
}

/**
 * When tenants are drained. A commit wakes its own tenant at once (the DAL's `committed` hook);
 * the sweep visits only tenants marked waiting (a crashed replica's, a failed publish's), every
 * `sweepMs`; a full pass over every active tenant runs only every `fullSweepMs` (and at start
 * when `fullSweepAtStart`, for the in-memory waiting set a restart forgets). So the relay's work
 * follows the writes, not the number of tenants.
 */
export function createOutboxScheduler(deps: {
  relay: DomainOutboxRelay;
  coordination: OutboxCoordination;
  /** Every active tenant's id, page by page. */
  forEachActiveTenant: (visit: (tenantId: string) => void) => Promise<void>;
  metrics: OutboxMetrics;
  logger: Logger;
  sweepMs: number;
  fullSweepMs: number;
  fullSweepAtStart: boolean;
}): OutboxScheduler {
  const log = deps.logger.child({ component: 'outbox-scheduler' });
  const queued = new Map<string, DrainTrigger>();
  const running = new Set<string>();
  const again = new Set<string>();
  const busyRetries = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  let active = 0;
  let stopped = true;
  let idleWaiters: (() => void)[] = [];
  let sweepTimer: NodeJS.Timeout | undefined;
  let fullTimer: NodeJS.Timeout | undefined;
  let sweeping: Promise<void> = Promise.resolve();

  function settleIdle(): void {
    if (active > 0 || queued.size > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  function later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timer.unref();
    timers.add(timer);
  }

  async function run(tenantId: string, trigger: DrainTrigger): Promise<void> {
    try {
      const result = await deps.relay.drain(tenantId, trigger);
      if (result.status === 'busy') {
        // Another relay holds it and may have read before our commit: mark it for the sweep and
        // try again shortly ourselves.
        await deps.coordination.markWaiting(tenantId);
        const attempt = busyRetries.get(tenantId) ?? 0;
        const delay = BUSY_RETRIES_MS[attempt];
        if (delay !== undefined && !stopped) {
          busyRetries.set(tenantId, attempt + 1);
          later(delay, () => {
            wake(tenantId, trigger);
          });
        } else {
          busyRetries.delete(tenantId);
        }
        return;
      }
      busyRetries.delete(tenantId);
    } catch (error) {
      log.warn(
        { tenant: tenantId, err: messageOf(error) },
        'outbox drain failed; the sweep retries',
      );
      await deps.coordination.markWaiting(tenantId).catch(() => undefined);
    }
  }

  function pump(): void {
    while (active < CONCURRENCY && queued.size > 0 && !stopped) {
      const [tenantId, trigger] = queued.entries().next().value as [string, DrainTrigger];
      queued.delete(tenantId);
      running.add(tenantId);
      active += 1;
      void run(tenantId, trigger).finally(() => {
        running.delete(tenantId);
        active -= 1;
        // A commit landed while this tenant was being drained: drain once more.
        if (again.delete(tenantId)) queued.set(tenantId, 'commit');
        pump();
        settleIdle();
      });
    }
    settleIdle();
  }

  function wake(tenantId: string, trigger: DrainTrigger): void {
    if (stopped) return;
    if (running.has(tenantId)) {
      again.add(tenantId);
      return;
    }
    if (!queued.has(tenantId)) queued.set(tenantId, trigger);
    pump();
  }

  async function sweepWaiting(): Promise<void> {
    const waiting = await deps.coordination.listWaiting(SWEEP_SAMPLE);
    deps.metrics.waitingTenants(waiting.length);
    for (const tenantId of waiting) wake(tenantId, 'sweep');
  }

  async function sweepAll(): Promise<void> {
    deps.metrics.fullSweep();
    await deps.forEachActiveTenant((tenantId) => {
      wake(tenantId, 'full');
    });
  }

  function enqueueSweep(task: () => Promise<void>, what: string): void {
    sweeping = sweeping.then(task).catch((error: unknown) => {
      log.warn({ err: messageOf(error) }, `${what} failed; the next one retries`);
    });
  }

  return {
    wake,
    sweepWaiting,
    sweepAll,
    idle() {
      if (active === 0 && queued.size === 0) return Promise.resolve();
      return new Promise((resolve) => {
        idleWaiters.push(resolve);
      });
    },
    start() {
      if (!stopped) return;
      stopped = false;
      if (deps.fullSweepAtStart) enqueueSweep(sweepAll, 'start-up outbox sweep');
      else enqueueSweep(sweepWaiting, 'start-up outbox sweep');
      sweepTimer = setInterval(() => {
        enqueueSweep(sweepWaiting, 'outbox sweep');
      }, deps.sweepMs);
      sweepTimer.unref();
      fullTimer = setInterval(() => {
        enqueueSweep(sweepAll, 'full outbox sweep');
      }, deps.fullSweepMs);
      fullTimer.unref();
    },
    async stop() {
      stopped = true;
      clearInterval(sweepTimer);
      clearInterval(fullTimer);
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      queued.clear();
      await sweeping;
      if (active > 0) {
        await new Promise<void>((resolve) => {
          idleWaiters.push(resolve);
        });
      }
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
