import type { ConfirmChannel, Options } from 'amqplib';
import { EventPublishError } from '../errors';
import { withTimeout } from '../internal/with-timeout';

/**
 * Publishes on a raw confirm channel and resolves once the broker confirms. Used by consumers to
 * move a message to the retry or dead-letter queue on the channel that delivered it, so the
 * original can be acknowledged on that same channel afterwards.
 */
export function publishConfirmed(
  channel: ConfirmChannel,
  target: { exchange: string; routingKey: string },
  content: Buffer,
  options: Options.Publish,
  timeoutMs: number,
): Promise<void> {
  const confirmed = new Promise<void>((resolve, reject) => {
    try {
      channel.publish(target.exchange, target.routingKey, content, options, (err: unknown) => {
        if (err)
          reject(new EventPublishError('broker did not confirm the message', { cause: err }));
        else resolve();
      });
    } catch (err) {
      // amqplib throws synchronously when the channel is already closed.
      reject(new EventPublishError('channel closed before publishing', { cause: err }));
    }
  });
  return withTimeout(
    confirmed,
    timeoutMs,
    () => new EventPublishError(`no publisher confirm within ${timeoutMs} ms`),
  );
}
