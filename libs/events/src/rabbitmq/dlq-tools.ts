import type { ChannelModel, GetMessage } from 'amqplib';
import { connect } from 'amqplib';
import type { EventEnvelope } from '../envelope';
import { decodeBody } from '../internal/decode';
import { publishConfirmed } from './confirm';
import {
  carriedHeaders,
  copiedProperties,
  headersOf,
  readAttempts,
  readDeathReason,
} from './headers';
import {
  ATTEMPTS_HEADER,
  DEATH_REASON_HEADER,
  DEFAULT_EXCHANGE,
  ORIGINAL_EXCHANGE_HEADER,
  ORIGINAL_ROUTING_KEY_HEADER,
  deadLetterQueueName,
} from './topology';

/** One message found in a dead-letter queue. */
export interface DeadLetterMessage {
  /** The event, when the body is a valid one. */
  event?: EventEnvelope;
  /** The body as text. */
  raw: string;
  reason?: string;
  attempts?: number;
}

const CONFIRM_TIMEOUT_MS = 5000;

/** `data-plane.provisioning` and `data-plane.provisioning.dlq` both name the same DLQ. */
function dlqOf(queueName: string): string {
  return queueName.endsWith('.dlq') ? queueName : deadLetterQueueName(queueName);
}

async function withConnection<T>(
  url: string,
  work: (model: ChannelModel) => Promise<T>,
): Promise<T> {
  const model = await connect(url, { timeout: 10_000 });
  // A broker-side channel error is reported through the failing call; keep it from also crashing
  // the process as an unhandled 'error' event.
  model.on('error', () => undefined);
  try {
    return await work(model);
  } finally {
    await model.close().catch(() => undefined);
  }
}

function describe(message: GetMessage): DeadLetterMessage {
  const headers = headersOf(message.properties.headers);
  const raw = message.content.toString('utf8');
  const decoded = decodeBody(raw);
  return {
    ...(decoded.ok ? { event: decoded.event } : {}),
    raw,
    reason: readDeathReason(headers),
    attempts: ATTEMPTS_HEADER in headers ? readAttempts(headers) : undefined,
  };
}

/**
 * Reads up to `limit` messages of a dead-letter queue without consuming them (for `hjctl` and
 * operators). Messages are fetched unacknowledged and handed back when the channel closes.
 *
 * @example
 * const dead = await dlqTools.listDeadLetters(url, 'data-plane.provisioning', 20);
 */
function listDeadLetters(
  url: string,
  queueName: string,
  limit = 100,
): Promise<DeadLetterMessage[]> {
  return withConnection(url, async (model) => {
    const channel = await model.createChannel();
    const queue = dlqOf(queueName);
    const found: DeadLetterMessage[] = [];
    while (found.length < limit) {
      const message = await channel.get(queue, { noAck: false });
      if (message === false) break;
      found.push(describe(message));
    }
    channel.nackAll(true);
    await channel.close();
    return found;
  });
}

/**
 * Moves dead letters back to the exchange they were first published to, with their original
 * routing key and a fresh attempt count, once the cause is fixed. Only the messages present when
 * the call starts are moved, so one that fails again cannot make it loop.
 *
 * @returns how many messages were moved.
 * @example
 * await dlqTools.replayDeadLetters(url, 'data-plane.provisioning', { limit: 10 });
 */
function replayDeadLetters(
  url: string,
  queueName: string,
  options: { limit?: number; exchange?: string } = {},
): Promise<number> {
  return withConnection(url, async (model) => {
    const channel = await model.createConfirmChannel();
    const queue = dlqOf(queueName);
    const { messageCount } = await channel.checkQueue(queue);
    const limit = Math.min(options.limit ?? Number.POSITIVE_INFINITY, messageCount);
    let moved = 0;
    while (moved < limit) {
      const message = await channel.get(queue, { noAck: false });
      if (message === false) break;
      const headers = headersOf(message.properties.headers);
      const kept = carriedHeaders(headers);
      for (const key of [ATTEMPTS_HEADER, DEATH_REASON_HEADER]) Reflect.deleteProperty(kept, key);
      const routingKey = headers[ORIGINAL_ROUTING_KEY_HEADER];
      const exchange = headers[ORIGINAL_EXCHANGE_HEADER];
      const properties = copiedProperties(message);
      await publishConfirmed(
        channel,
        {
          exchange:
            options.exchange ??
            (typeof exchange === 'string' && exchange ? exchange : DEFAULT_EXCHANGE),
          routingKey:
            typeof routingKey === 'string'
              ? routingKey
              : (properties.type ?? message.fields.routingKey),
        },
        message.content,
        { ...properties, headers: kept },
        CONFIRM_TIMEOUT_MS,
      );
      channel.ack(message);
      moved += 1;
    }
    await channel.close();
    return moved;
  });
}

/**
 * Operator helpers for a shared subscription's dead-letter queue (`<name>.dlq`).
 *
 * @example
 * const moved = await dlqTools.replayDeadLetters(url, 'data-plane.provisioning');
 */
export const dlqTools = { listDeadLetters, replayDeadLetters } as const;
