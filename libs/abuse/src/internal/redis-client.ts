import type { Logger } from '@hellojohn/http';
import { Redis } from 'ioredis';

/**
 * A Redis client tuned to fail fast, because a limit that waits is an outage and a limit that
 * gives up silently is no limit (fail closed):
 * - no offline queue: while disconnected a command fails at once instead of waiting to be sent;
 * - no retried or resent commands: a consume is never applied twice after a reconnect;
 * - short connect and command timeouts, and reconnects every <= 1 s so recovery is quick;
 * - auto-pipelining: the commands one request issues together (its budgets' charges, the
 *   lockout's resets) leave in one write and come back in one read, one round trip, not one
 *   each; it changes nothing about failing (no offline queue: still refused at once when down);
 * - a short disconnect timeout: ioredis keeps a timer of `disconnectTimeout` (default 2 s) alive
 *   after `disconnect()` on a socket that already closed (e.g. Redis refused the connection),
 *   which holds a shutting-down process open that long.
 */
export function createRedisClient(
  url: string,
  options: { logger: Logger; connectionName: string; commandTimeoutMs: number },
): Redis {
  const { logger } = options;
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    connectTimeout: 1_000,
    commandTimeout: options.commandTimeoutMs,
    disconnectTimeout: options.commandTimeoutMs,
    retryStrategy: (times) => Math.min(times * 100, 1_000),
    connectionName: options.connectionName,
    enableAutoPipelining: true,
  });
  // One log line per outage, not one per reconnect attempt.
  let down = false;
  client.on('error', (error: Error) => {
    if (down) return;
    down = true;
    logger.warn({ err: error }, 'redis unavailable: rate-limited routes answer 503');
  });
  client.on('ready', () => {
    if (down) logger.info('redis connection restored');
    down = false;
  });
  return client;
}

/** Closes politely when connected, at once otherwise (quit would wait on a dead socket). */
export async function closeRedisClient(client: Redis): Promise<void> {
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}
