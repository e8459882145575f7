import type { Logger } from '@hellojohn/http';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { closeRedisClient, createRedisClient } from './internal/redis-client';
import { STORE_CALL_TIMEOUT_MS } from './store-call';

/** Where counters live: Redis (shared by every replica) or this process's memory (embedded). */
export interface LimiterStore {
  readonly kind: 'redis' | 'memory';
  /** A fixed-window counter of `points` per `durationSeconds`, its keys under `keyPrefix`. */
  limiter(keyPrefix: string, points: number, durationSeconds: number): RateLimiterAbstract;
  /** For `/readyz`: always true in memory. */
  connected(): boolean;
  close(): Promise<void>;
}

/**
 * Redis when `redisUrl` is set, memory otherwise. In memory each replica counts alone, which is
 * right for a single process and wrong behind a load balancer (budgets multiply by the replica
 * count). The Redis client fails fast (no offline queue, no retried commands, a command timeout
 * of {@link STORE_CALL_TIMEOUT_MS}); pair every limiter call with {@link storeCall}.
 *
 * @example
 * const store = createLimiterStore({ redisUrl: config.redisUrl, logger });
 * const perIp = store.limiter('hj:rl:sign_in_ip', 20, 60);
 */
export function createLimiterStore(options: {
  redisUrl?: string | undefined;
  logger: Logger;
  /** Shown by Redis `CLIENT LIST`; name the service. */
  connectionName?: string;
}): LimiterStore {
  const { redisUrl, logger } = options;
  if (!redisUrl) {
    return {
      kind: 'memory',
      limiter: (keyPrefix, points, duration) =>
        new RateLimiterMemory({ keyPrefix, points, duration }),
      connected: () => true,
      close: async () => undefined,
    };
  }
  const client = createRedisClient(redisUrl, {
    logger,
    connectionName: options.connectionName ?? 'hellojohn-limits',
    commandTimeoutMs: STORE_CALL_TIMEOUT_MS,
  });
  return {
    kind: 'redis',
    limiter: (keyPrefix, points, duration) =>
      new RateLimiterRedis({
        storeClient: client,
        keyPrefix,
        points,
        duration,
        // Reject at once while the connection is down instead of handing ioredis a command.
        // No insuranceLimiter on purpose: falling back to per-process memory would multiply the
        // budget by the replica count, i.e. fail open.
        rejectIfRedisNotReady: true,
        // No in-process block cache: it would answer 429s Redis no longer agrees with.
        inMemoryBlockOnConsumed: 0,
      }),
    connected: () => client.status === 'ready',
    close: () => closeRedisClient(client),
  };
}
