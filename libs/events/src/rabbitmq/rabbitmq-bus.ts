import type { EventBus, EventHandler, EventsLogger, Subscription, SubscriptionSpec } from '../bus';
import type { EventEnvelope } from '../envelope';
import { parseEvent } from '../envelope';
import { EventBusClosedError } from '../errors';
import { resolveSpec, silentLogger } from '../internal/defaults';
import { openConnection } from './connection';
import { startConsumer } from './consumer';
import { createPublisher } from './publisher';
import { DEFAULT_EXCHANGE } from './topology';

export interface RabbitMqBusOptions {
  /** `amqp://user:pass@host:5672/vhost` */
  url: string;
  /** Topic exchange to publish to and bind from. Default `hellojohn.events`. */
  exchange?: string;
  /** How long `publish` waits for a confirm (also while the broker is down). Default 5000. */
  publishTimeoutMs?: number;
  logger?: EventsLogger;
  /** Shown in the RabbitMQ management UI, e.g. `data-plane@host-1`. */
  connectionName?: string;
  /** How long closing waits for running handlers before giving their messages back. Default 10000. */
  drainTimeoutMs?: number;
  /**
   * How long `subscribe` waits for its queue to be declared. When the broker is unreachable it
   * resolves after this (the consumer starts on reconnect) so start-up does not hang. Default 10000.
   */
  setupTimeoutMs?: number;
}

/**
 * An {@link EventBus} over RabbitMQ (design §3): a durable topic exchange, persistent JSON messages
 * with publisher confirms, shared work queues with a retry queue and a dead-letter queue, and
 * exclusive per-process queues for fan-out. Reconnects with back-off and re-declares its topology
 * and consumers after a broker restart.
 *
 * @example
 * const bus = createRabbitMqBus({ url: config.rabbitmqUrl, logger, connectionName: 'data-plane' });
 * await bus.subscribe(
 *   { name: 'data-plane.provisioning', routingKeys: ['tenant.created'], mode: 'shared' },
 *   provision,
 * );
 */
export function createRabbitMqBus(options: RabbitMqBusOptions): EventBus {
  const logger = options.logger ?? silentLogger;
  const exchange = options.exchange ?? DEFAULT_EXCHANGE;
  const publishTimeoutMs = options.publishTimeoutMs ?? 5000;
  const connection = openConnection(options.url, {
    connectionName: options.connectionName,
    logger,
  });
  const publisher = createPublisher({
    manager: connection.manager,
    exchange,
    publishTimeoutMs,
    logger,
  });
  const subscriptions = new Set<Subscription>();
  let closing: Promise<void> | undefined;
  // A function, so the check after an await is not narrowed away by the one before it.
  const isClosing = (): boolean => closing !== undefined;

  async function shutdown(): Promise<void> {
    await Promise.allSettled([...subscriptions].map((s) => s.close()));
    await publisher.close().catch(() => undefined);
    await connection.close();
  }

  return {
    async publish(event: EventEnvelope): Promise<void> {
      if (closing) throw new EventBusClosedError();
      await publisher.publish(parseEvent(event));
    },

    async subscribe(spec: SubscriptionSpec, handler: EventHandler): Promise<Subscription> {
      if (closing) throw new EventBusClosedError();
      const consumer = await startConsumer(
        {
          manager: connection.manager,
          exchange,
          logger,
          publishTimeoutMs,
          drainTimeoutMs: options.drainTimeoutMs ?? 10_000,
          setupTimeoutMs: options.setupTimeoutMs ?? 10_000,
        },
        resolveSpec(spec),
        handler,
      );
      const subscription: Subscription = {
        async close() {
          subscriptions.delete(subscription);
          await consumer.close();
        },
      };
      subscriptions.add(subscription);
      if (isClosing()) {
        await subscription.close();
        throw new EventBusClosedError();
      }
      return subscription;
    },

    isConnected: () => !closing && connection.manager.isConnected(),

    close(): Promise<void> {
      closing ??= shutdown();
      return closing;
    },
  };
}
