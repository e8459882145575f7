import type { Channel } from 'amqplib';
import type { ResolvedSpec } from '../internal/defaults';

export const DEFAULT_EXCHANGE = 'hellojohn.events';

/** Failed deliveries so far (0 or absent on the first delivery). */
export const ATTEMPTS_HEADER = 'x-attempts';
/** Why a message is in a dead-letter queue. */
export const DEATH_REASON_HEADER = 'x-death-reason';
/**
 * Where the message was first published. Retries reach the main queue through the default
 * exchange with the queue's name as routing key, so the original key travels in a header for
 * `replayDeadLetters`.
 */
export const ORIGINAL_ROUTING_KEY_HEADER = 'x-original-routing-key';
export const ORIGINAL_EXCHANGE_HEADER = 'x-original-exchange';

/**
 * Deliveries a shared queue allows for one message that is never acknowledged (its consumer keeps
 * dying mid-handler) before RabbitMQ dead-letters it. Handler failures do not count: those are
 * acknowledged and republished through the retry queue. A constant rather than `maxAttempts`,
 * because queue arguments cannot change once declared.
 */
export const CRASH_DELIVERY_LIMIT = 10;

export const retryQueueName = (name: string): string => `${name}.retry`;
export const deadLetterQueueName = (name: string): string => `${name}.dlq`;

export async function declareExchange(channel: Channel, exchange: string): Promise<void> {
  await channel.assertExchange(exchange, 'topic', { durable: true });
}

/**
 * A shared subscription's three queues:
 * - `<name>`: quorum queue bound to the routing keys. Quorum, because it counts deliveries: a
 *   message whose consumer crashes every time is dead-lettered after {@link CRASH_DELIVERY_LIMIT}
 *   instead of looping forever (RabbitMQ 3.10 sets no default limit).
 * - `<name>.retry`: holds failed messages for their per-message `expiration` (the back-off), then
 *   dead-letters them back to `<name>` through the default exchange. One FIFO queue means a message
 *   only expires once it reaches the head, so a short delay may wait behind a longer one; that keeps
 *   retries in failure order and bounds the extra wait by the 60 s cap.
 * - `<name>.dlq`: where messages end after `maxAttempts`, or at once when they are not valid events.
 */
export async function declareSharedQueues(
  channel: Channel,
  exchange: string,
  spec: ResolvedSpec,
): Promise<void> {
  const dlq = deadLetterQueueName(spec.name);
  await channel.assertQueue(dlq, { durable: true });
  await channel.assertQueue(retryQueueName(spec.name), {
    durable: true,
    deadLetterExchange: '',
    deadLetterRoutingKey: spec.name,
  });
  await channel.assertQueue(spec.name, {
    durable: true,
    deadLetterExchange: '',
    deadLetterRoutingKey: dlq,
    arguments: { 'x-queue-type': 'quorum', 'x-delivery-limit': CRASH_DELIVERY_LIMIT },
  });
  for (const key of spec.routingKeys) await channel.bindQueue(spec.name, exchange, key);
}

/** A server-named queue that lives as long as this connection: one per process. */
export async function declareExclusiveQueue(
  channel: Channel,
  exchange: string,
  spec: ResolvedSpec,
): Promise<string> {
  const { queue } = await channel.assertQueue('', {
    exclusive: true,
    autoDelete: true,
    durable: false,
  });
  for (const key of spec.routingKeys) await channel.bindQueue(queue, exchange, key);
  return queue;
}
