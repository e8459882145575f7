import { randomBytes } from 'node:crypto';

/**
 * What {@link deleteRedisKeys} needs of a Redis client: ioredis's `Redis` has it. Taken as a
 * parameter so this lib does not depend on a Redis client of its own.
 */
export interface RedisKeyClient {
  scanStream(options: { match: string; count: number }): AsyncIterable<unknown>;
  del(...keys: string[]): Promise<number>;
}

/**
 * An `HJ_REDIS_KEY_PREFIX` for one test system: parallel runs on one shared Redis never share a
 * key (the process id tells whose keys a crashed run left behind).
 */
export const testRedisPrefix = (): string =>
  `hjtest-${process.pid}-${randomBytes(4).toString('hex')}`;

/** Deletes every key under `prefix` (`{prefix}:*`): what a test system left in the shared Redis. */
export async function deleteRedisKeys(redis: RedisKeyClient, prefix: string): Promise<void> {
  for await (const batch of redis.scanStream({ match: `${prefix}:*`, count: 500 })) {
    const keys = batch as string[];
    if (keys.length > 0) await redis.del(...keys);
  }
}
