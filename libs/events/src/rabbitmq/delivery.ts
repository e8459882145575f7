import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import type { DeadLetterInfo, EventHandler, EventsLogger } from '../bus';
import { decodeBody } from '../internal/decode';
import type { ResolvedSpec } from '../internal/defaults';
import { errorMessage, retryDelay } from '../internal/defaults';
import { publishConfirmed } from './confirm';
import {
  carriedHeaders,
  copiedProperties,
  headersOf,
  originalTarget,
  readAttempts,
} from './headers';
import {
  ATTEMPTS_HEADER,
  DEATH_REASON_HEADER,
  ORIGINAL_EXCHANGE_HEADER,
  ORIGINAL_ROUTING_KEY_HEADER,
  deadLetterQueueName,
  retryQueueName,
} from './topology';

const MAX_REASON_LENGTH = 1000;

/**
 * What happens to one delivered message. The original is acknowledged only after its successor
 * (retry or dead-letter copy) is confirmed by the broker, so a crash in between duplicates a
 * message but never loses one.
 */
export function createDeliveryHandler(options: {
  spec: ResolvedSpec;
  handler: EventHandler;
  logger: EventsLogger;
  publishTimeoutMs: number;
}): (channel: ConfirmChannel, message: ConsumeMessage) => Promise<void> {
  const { spec, handler, logger } = options;

  function settle(channel: ConfirmChannel, message: ConsumeMessage, ack: boolean): void {
    try {
      if (ack) channel.ack(message);
      // Requeue: with a quorum queue the broker counts these, so this cannot loop forever.
      else channel.nack(message, false, true);
    } catch {
      // The channel is gone; the broker redelivers the message to another consumer.
    }
  }

  async function moveTo(
    channel: ConfirmChannel,
    message: ConsumeMessage,
    queue: string,
    extra: { headers: Record<string, unknown>; expiration?: string },
  ): Promise<boolean> {
    const headers = headersOf(message.properties.headers);
    const origin = originalTarget(message, headers);
    try {
      await publishConfirmed(
        channel,
        { exchange: '', routingKey: queue },
        message.content,
        {
          ...copiedProperties(message),
          expiration: extra.expiration,
          headers: {
            ...carriedHeaders(headers),
            [ORIGINAL_EXCHANGE_HEADER]: origin.exchange,
            [ORIGINAL_ROUTING_KEY_HEADER]: origin.routingKey,
            ...extra.headers,
          },
        },
        options.publishTimeoutMs,
      );
      return true;
    } catch (err) {
      logger.error(
        { queue, err: errorMessage(err) },
        'cannot move message; it will be redelivered',
      );
      settle(channel, message, false);
      return false;
    }
  }

  async function deadLetter(
    channel: ConfirmChannel,
    message: ConsumeMessage,
    info: DeadLetterInfo,
  ): Promise<void> {
    const log = {
      queue: spec.name,
      eventId: info.event?.id,
      attempts: info.attempts,
      reason: info.reason,
    };
    if (spec.mode === 'exclusive') {
      logger.warn(log, 'dropping undeliverable event on an exclusive subscription');
      settle(channel, message, true);
      return;
    }
    const moved = await moveTo(channel, message, deadLetterQueueName(spec.name), {
      headers: {
        [ATTEMPTS_HEADER]: info.attempts,
        [DEATH_REASON_HEADER]: info.reason.slice(0, MAX_REASON_LENGTH),
      },
    });
    if (!moved) return;
    logger.error(log, 'event dead-lettered');
    try {
      await spec.onDeadLetter?.(info);
    } catch (err) {
      logger.error({ ...log, err: errorMessage(err) }, 'onDeadLetter hook failed');
    }
    settle(channel, message, true);
  }

  return async function deliver(channel, message): Promise<void> {
    const attempt = readAttempts(headersOf(message.properties.headers)) + 1;
    const decoded = decodeBody(message.content.toString('utf8'));
    if (!decoded.ok) {
      await deadLetter(channel, message, {
        raw: decoded.raw,
        reason: decoded.reason,
        attempts: attempt,
      });
      return;
    }
    const { event } = decoded;
    try {
      await handler(event, { attempt, redelivered: message.fields.redelivered });
    } catch (err) {
      const reason = errorMessage(err);
      if (spec.mode === 'exclusive') {
        logger.warn({ queue: spec.name, eventId: event.id, err: reason }, 'event handler failed');
        settle(channel, message, true);
      } else if (attempt >= spec.maxAttempts) {
        await deadLetter(channel, message, { event, raw: decoded.raw, reason, attempts: attempt });
      } else {
        const delay = retryDelay(attempt, spec.retryDelayMs);
        logger.warn(
          { queue: spec.name, eventId: event.id, attempt, delay, err: reason },
          'event handler failed; will retry',
        );
        const moved = await moveTo(channel, message, retryQueueName(spec.name), {
          headers: { [ATTEMPTS_HEADER]: attempt },
          expiration: String(delay),
        });
        if (moved) settle(channel, message, true);
      }
      return;
    }
    settle(channel, message, true);
  };
}
