import type { AmqpConnectionManager } from 'amqp-connection-manager';
import { connect } from 'amqp-connection-manager';
import type { EventsLogger } from '../bus';

export interface BrokerConnection {
  manager: AmqpConnectionManager;
  close(): Promise<void>;
}

const FIRST_RECONNECT_SECONDS = 1;
const MAX_RECONNECT_SECONDS = 30;

/**
 * A self-healing connection. amqp-connection-manager reconnects and re-runs every channel's setup
 * (topology, consumers); it waits a fixed `reconnectTimeInSeconds` between attempts, so that value
 * is doubled on each failure and reset on success to get exponential back-off.
 */
export function openConnection(
  url: string,
  options: { connectionName?: string; logger: EventsLogger },
): BrokerConnection {
  const { logger } = options;
  let failures = 0;
  let closing = false;
  const manager = connect([url], {
    heartbeatIntervalInSeconds: 5,
    reconnectTimeInSeconds: FIRST_RECONNECT_SECONDS,
    connectionOptions: {
      // Bounds a TCP connect to a black-holed host; a refused port fails at once anyway.
      timeout: 10_000,
      clientProperties: { connection_name: options.connectionName ?? 'hellojohn' },
    },
  });
  manager.on('connect', () => {
    failures = 0;
    manager.reconnectTimeInSeconds = FIRST_RECONNECT_SECONDS;
    logger.info({ broker: redact(url) }, 'connected to RabbitMQ');
  });
  // Emitted just before the manager reads reconnectTimeInSeconds for its next wait.
  manager.on('connectFailed', ({ err }: { err: Error }) => {
    if (closing) return;
    const delay = Math.min(FIRST_RECONNECT_SECONDS * 2 ** failures, MAX_RECONNECT_SECONDS);
    failures += 1;
    manager.reconnectTimeInSeconds = delay;
    logger.warn(
      { broker: redact(url), err: err.message, retryInSeconds: delay },
      'cannot reach RabbitMQ; retrying',
    );
  });
  manager.on('disconnect', ({ err }: { err?: Error }) => {
    logger.warn({ broker: redact(url), err: err?.message }, 'disconnected from RabbitMQ');
  });
  manager.on('blocked', ({ reason }: { reason: string }) => {
    logger.warn({ reason }, 'RabbitMQ blocked the connection (resource alarm)');
  });
  return {
    manager,
    async close() {
      // An attempt in flight would otherwise schedule one more back-off wait, which
      // `manager.close()` waits for.
      closing = true;
      manager.reconnectTimeInSeconds = 0;
      await manager.close();
    },
  };
}

/** The broker URL without its password, for logs. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable url)';
  }
}
