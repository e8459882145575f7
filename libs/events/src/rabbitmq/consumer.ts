import type { AmqpConnectionManager } from 'amqp-connection-manager';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import type { EventHandler, EventsLogger, Subscription } from '../bus';
import type { ResolvedSpec } from '../internal/defaults';
import { errorMessage } from '../internal/defaults';
import { sleep, withTimeout } from '../internal/with-timeout';
import { createChannelGuard } from './channel-guard';
import { createDeliveryHandler } from './delivery';
import { declareExchange, declareExclusiveQueue, declareSharedQueues } from './topology';

export interface ConsumerOptions {
  manager: AmqpConnectionManager;
  exchange: string;
  logger: EventsLogger;
  publishTimeoutMs: number;
  drainTimeoutMs: number;
  setupTimeoutMs: number;
}

/**
 * Runs one subscription on its own channel (so its prefetch is its own). The channel's setup
 * declares the topology and starts consuming; amqp-connection-manager re-runs it after every
 * reconnect. Each message is acknowledged on the very channel that delivered it: a delivery tag
 * means nothing on another channel, and acking it there would make the broker close that channel.
 */
export async function startConsumer(
  options: ConsumerOptions,
  spec: ResolvedSpec,
  handler: EventHandler,
): Promise<Subscription> {
  const { manager, exchange, logger } = options;
  let closing = false;
  let active: { channel: ConfirmChannel; consumerTag: string } | undefined;
  const inFlight = new Set<Promise<void>>();
  const guard = createChannelGuard({ manager, logger, name: spec.name, isActive: () => !closing });
  const deliver = createDeliveryHandler({
    spec,
    handler,
    logger,
    publishTimeoutMs: options.publishTimeoutMs,
  });

  let settleFirst: (err?: unknown) => void = () => undefined;
  const firstSetup = new Promise<void>((resolve, reject) => {
    settleFirst = (err) => {
      settleFirst = () => undefined;
      if (err === undefined) resolve();
      else reject(err instanceof Error ? err : new Error(errorMessage(err)));
    };
  });
  // Rejections after subscribe() stopped waiting are reported through the wrapper's error event.
  firstSetup.catch(() => undefined);

  function onMessage(channel: ConfirmChannel, message: ConsumeMessage | null): void {
    if (message === null) {
      // The broker cancelled us (the queue was deleted): declare it again and resume.
      if (!closing) void resumeAfterCancel(channel);
      return;
    }
    const delivery = deliver(channel, message)
      .catch((err: unknown) => {
        logger.error({ queue: spec.name, err: errorMessage(err) }, 'delivery failed');
      })
      .finally(() => {
        inFlight.delete(delivery);
      });
    inFlight.add(delivery);
  }

  async function resumeAfterCancel(channel: ConfirmChannel): Promise<void> {
    logger.warn({ queue: spec.name }, 'consumer cancelled by the broker; re-declaring');
    await sleep(1000);
    if (closing || active?.channel !== channel) return;
    await setup(channel).catch((err: unknown) => {
      logger.error({ queue: spec.name, err: errorMessage(err) }, 'cannot resume consumer');
    });
  }

  async function setup(channel: ConfirmChannel): Promise<void> {
    try {
      await declareExchange(channel, exchange);
      let queue = spec.name;
      if (spec.mode === 'shared') await declareSharedQueues(channel, exchange, spec);
      else queue = await declareExclusiveQueue(channel, exchange, spec);
      await channel.prefetch(spec.prefetch);
      if (closing) return;
      const { consumerTag } = await channel.consume(
        queue,
        (message) => {
          onMessage(channel, message);
        },
        { noAck: false },
      );
      active = { channel, consumerTag };
      settleFirst();
    } catch (err) {
      settleFirst(err);
      throw err;
    }
  }

  const wrapper = manager.createChannel({
    name: `hellojohn-events-consumer:${spec.name}`,
    confirm: true,
    setup: async (channel: ConfirmChannel) => {
      guard.attach(channel);
      await setup(channel);
    },
  });
  wrapper.on('error', (err: Error) => {
    logger.error({ queue: spec.name, err: err.message }, 'consumer setup failed');
  });

  async function close(): Promise<void> {
    if (closing) return;
    closing = true;
    const current = active;
    if (current) {
      await current.channel.cancel(current.consumerTag).catch(() => undefined);
    }
    try {
      await withTimeout(
        Promise.allSettled([...inFlight]),
        options.drainTimeoutMs,
        () => new Error('drain timeout'),
      );
    } catch {
      // Unacknowledged messages go back to the queue when the channel closes.
      logger.warn(
        { queue: spec.name, inFlight: inFlight.size },
        'closing with handlers still running',
      );
    }
    await wrapper.close().catch(() => undefined);
  }

  const outcome = await Promise.race([
    firstSetup.then(() => 'ready' as const),
    sleep(options.setupTimeoutMs).then(() => 'pending' as const),
  ]).catch(async (err: unknown) => {
    await close();
    throw err;
  });
  if (outcome === 'pending') {
    // Start-up must not hang on a missing broker: the consumer attaches once it is reachable.
    logger.warn(
      { queue: spec.name },
      'broker unreachable; the subscription will start on reconnect',
    );
  }
  return { close };
}
