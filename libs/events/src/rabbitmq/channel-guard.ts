import type { AmqpConnectionManager } from 'amqp-connection-manager';
import type { Channel } from 'amqplib';
import type { EventsLogger } from '../bus';

const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 60_000;
const STABLE_AFTER_MS = 60_000;

/**
 * amqp-connection-manager only rebuilds a channel when the whole connection comes back. A channel
 * the broker closes on its own (a 404 after someone deleted the exchange, a 406 on an ack) would
 * stay dead with the connection up, so this forces a reconnect, which re-runs every setup. The
 * delay grows while channels keep dying young, so a persistent error cannot spin.
 */
export function createChannelGuard(options: {
  manager: AmqpConnectionManager;
  logger: EventsLogger;
  name: string;
  isActive: () => boolean;
}): { attach(channel: Channel): void } {
  let current: Channel | undefined;
  let delay = FIRST_DELAY_MS;

  function onClose(channel: Channel, openedAt: number): void {
    if (!options.isActive()) return;
    if (Date.now() - openedAt > STABLE_AFTER_MS) delay = FIRST_DELAY_MS;
    const wait = delay;
    delay = Math.min(delay * 2, MAX_DELAY_MS);
    setTimeout(() => {
      // A normal connection loss closes the channel too; then the manager reconnects on its own
      // and a new channel replaces `current`.
      if (!options.isActive() || current !== channel || !options.manager.isConnected()) return;
      options.logger.warn({ channel: options.name }, 'broker closed the channel; reconnecting');
      try {
        options.manager.reconnect();
      } catch {
        // The manager was closed meanwhile: nothing to recover.
      }
    }, wait).unref();
  }

  return {
    attach(channel: Channel): void {
      current = channel;
      const openedAt = Date.now();
      channel.once('close', () => {
        onClose(channel, openedAt);
      });
    },
  };
}
