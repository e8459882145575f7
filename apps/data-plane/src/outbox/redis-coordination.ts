import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from '@hellojohn/http';
import type { OutboxCoordination, RelayLease } from './coordination';

// Compare-and-set scripts: only the holder's token may extend or delete its lease, so a relay
// whose lease lapsed (a long GC pause) cannot extend or release its successor's.
const EXTEND = `if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * Leases and the waiting set in Redis, shared by every data-plane replica:
 * - `{prefix}:outbox:lease:{tenant}`: `SET NX PX` with a random token (the lease), and
 *   `{prefix}:outbox:fence:{tenant}`: `INCR`, the lease's fencing number;
 * - `{prefix}:outbox:waiting`: a set of tenant ids with events that may be unsent.
 * Commands wait briefly for a connection (offline queue) and fail after `commandTimeoutMs`; the
 * relay treats a failure as "not now" and the sweep retries, so nothing is lost while Redis is down.
 */
export function createRedisCoordination(options: {
  url: string;
  keyPrefix: string;
  logger: Logger;
  commandTimeoutMs?: number;
}): OutboxCoordination {
  const log = options.logger.child({ component: 'outbox-coordination' });
  const redis = new Redis(options.url, {
    connectionName: 'data-plane-outbox',
    maxRetriesPerRequest: 1,
    commandTimeout: options.commandTimeoutMs ?? 2_000,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(times * 100, 1_000),
  });
  let down = false;
  redis.on('error', (error: Error) => {
    if (down) return;
    down = true;
    log.warn({ err: error.message }, 'redis unavailable: outbox relays wait for the sweep');
  });
  redis.on('ready', () => {
    down = false;
  });
  const key = (...parts: string[]) => [options.keyPrefix, 'outbox', ...parts].join(':');
  const waitingKey = key('waiting');

  return {
    kind: 'redis',
    async acquire(tenantId, ttlMs) {
      const leaseKey = key('lease', tenantId);
      const token = randomUUID();
      const taken = await redis.set(leaseKey, token, 'PX', ttlMs, 'NX');
      if (taken !== 'OK') return undefined;
      const fence = await redis.incr(key('fence', tenantId));
      const lease: RelayLease = {
        fence,
        async extend() {
          return (await redis.eval(EXTEND, 1, leaseKey, token, String(ttlMs))) === 1;
        },
        async release() {
          await redis.eval(RELEASE, 1, leaseKey, token);
        },
      };
      return lease;
    },
    async markWaiting(tenantId) {
      await redis.sadd(waitingKey, tenantId);
    },
    async clearWaiting(tenantId) {
      await redis.srem(waitingKey, tenantId);
    },
    async listWaiting(limit) {
      // SRANDMEMBER, not SMEMBERS: bounded however many tenants wait, and a different sample
      // each sweep, so one slow tenant cannot hide the others.
      return redis.srandmember(waitingKey, limit);
    },
    async close() {
      if (redis.status !== 'ready') {
        redis.disconnect();
        return;
      }
      await redis.quit().catch(() => {
        redis.disconnect();
      });
    },
  };
}
