import type { AmqpConnectionManager } from 'amqp-connection-manager';
import type { ConfirmChannel } from 'amqplib';
import type { EventsLogger } from '../bus';
import type { EventEnvelope } from '../envelope';
import { EventPublishError } from '../errors';
import { errorMessage } from '../internal/defaults';
import { withTimeout } from '../internal/with-timeout';
import { createChannelGuard } from './channel-guard';
import { declareExchange } from './topology';

export interface Publisher {
  publish(event: EventEnvelope): Promise<void>;
  close(): Promise<void>;
}

/**
 * Publishes on a confirm channel. While the broker is away, amqp-connection-manager queues the
 * message and sends it after reconnecting; `timeout` bounds that wait, so a caller (the outbox
 * relay) gets a rejection instead of a promise that never settles.
 */
export function createPublisher(options: {
  manager: AmqpConnectionManager;
  exchange: string;
  publishTimeoutMs: number;
  logger: EventsLogger;
}): Publisher {
  const { manager, exchange, publishTimeoutMs, logger } = options;
  let closed = false;
  const guard = createChannelGuard({ manager, logger, name: 'publisher', isActive: () => !closed });
  const wrapper = manager.createChannel({
    name: 'hellojohn-events-publisher',
    confirm: true,
    publishTimeout: publishTimeoutMs,
    setup: async (channel: ConfirmChannel) => {
      guard.attach(channel);
      await declareExchange(channel, exchange);
    },
  });
  wrapper.on('error', (err: Error) => {
    logger.error({ err: err.message }, 'publisher channel setup failed');
  });

  return {
    async publish(event: EventEnvelope): Promise<void> {
      const sent = wrapper.publish(exchange, event.type, Buffer.from(JSON.stringify(event)), {
        persistent: true,
        messageId: event.id,
        type: event.type,
        contentType: 'application/json',
        contentEncoding: 'utf-8',
        timestamp: Math.floor(Date.parse(event.occurred_at) / 1000),
        timeout: publishTimeoutMs,
      });
      try {
        // The wrapper enforces the timeout itself; this outer bound is a second lock on the door.
        await withTimeout(
          sent,
          publishTimeoutMs + 1000,
          () => new EventPublishError('publish did not settle'),
        );
      } catch (err) {
        if (err instanceof EventPublishError) throw err;
        throw new EventPublishError(
          `publish of ${event.type} ${event.id} failed: ${errorMessage(err)}`,
          {
            cause: err,
          },
        );
      }
    },
    async close(): Promise<void> {
      closed = true;
      await wrapper.close();
    },
  };
}
