import type { Config } from '@hellojohn/config';
import type { DomainOutboxHooks, TenantDb } from '@hellojohn/dal';
import type { EventBus } from '@hellojohn/events';
import type { Logger, Metrics } from '@hellojohn/http';
import { createMemoryCoordination, type OutboxCoordination } from './coordination';
import { createOutboxMetrics } from './outbox-metrics';
import { createDomainOutboxRelay, type DomainOutboxRelay } from './outbox-relay';
import { createOutboxScheduler, type OutboxScheduler } from './outbox-scheduler';
import { createRedisCoordination } from './redis-coordination';

export { recordDomainEvent, recordSessionsRevoked, recordUserCreated } from './record-domain-event';
export { signInMethodOf } from './sign-in-method';
export { deleteUserRecorded } from './delete-user-recorded';
export { changedFields } from './changed-fields';
export { revokeSessionRecorded } from './revoke-session-recorded';
export { revokeUserSessionsRecorded } from './revoke-user-sessions-recorded';

/** The data plane's domain-event outbox relay (docs/webhooks.md, "Outbox and relay"). */
export interface OutboxModule {
  /** For `createTenantPools({ domainEvents })`: mark the tenant waiting, wake it after commit. */
  hooks: Required<DomainOutboxHooks>;
  /** Drains one tenant now, under its lease (tests, operators). */
  drain: DomainOutboxRelay['drain'];
  scheduler: OutboxScheduler;
  coordination: OutboxCoordination;
  start(): void;
  stop(): Promise<void>;
}

/**
 * Builds the relay: leases and the waiting set in Redis when `HJ_REDIS_URL` is set (every replica
 * shares them), in memory otherwise (embedded: one process, and a full pass at start-up makes up
 * for the waiting set a restart forgets).
 */
export function createOutboxModule(deps: {
  config: Pick<Config, 'redisUrl' | 'outboxSweepSeconds' | 'outboxFullSweepSeconds'>;
  bus: EventBus;
  logger: Logger;
  /** The tenant's database when it is known and active. */
  tenantDb: (tenantId: string) => Promise<TenantDb | undefined>;
  /** Every active tenant's id, page by page (the full sweep). */
  forEachActiveTenant: (visit: (tenantId: string) => void) => Promise<void>;
  /** Namespaces the Redis keys (tests on a shared Redis use a random one). Default `hj`. */
  keyPrefix?: string;
  registry?: Metrics['registry'];
}): OutboxModule {
  const { config, logger } = deps;
  const coordination = config.redisUrl
    ? createRedisCoordination({ url: config.redisUrl, keyPrefix: deps.keyPrefix ?? 'hj', logger })
    : createMemoryCoordination();
  const metrics = createOutboxMetrics(deps.registry);
  const relay = createDomainOutboxRelay({
    bus: deps.bus,
    coordination,
    tenantDb: deps.tenantDb,
    metrics,
    logger,
  });
  const scheduler = createOutboxScheduler({
    relay,
    coordination,
    forEachActiveTenant: deps.forEachActiveTenant,
    metrics,
    logger,
    sweepMs: config.outboxSweepSeconds * 1000,
    fullSweepMs: config.outboxFullSweepSeconds * 1000,
    fullSweepAtStart: coordination.kind === 'memory',
  });
  return {
    hooks: {
      async appended(tenantId) {
        await coordination.markWaiting(tenantId).catch((error: unknown) => {
          // The commit still wakes the relay; only a crash before it would wait for a full sweep.
          logger.warn(
            { component: 'outbox', tenant: tenantId, err: String(error) },
            'cannot mark tenant as waiting',
          );
        });
      },
      committed(tenantId) {
        scheduler.wake(tenantId, 'commit');
      },
    },
    drain: (tenantId, trigger) => relay.drain(tenantId, trigger),
    scheduler,
    coordination,
    start: () => {
      scheduler.start();
    },
    async stop() {
      await scheduler.stop();
      await coordination.close();
    },
  };
}
