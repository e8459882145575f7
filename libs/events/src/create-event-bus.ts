import type { EventBus, EventsLogger } from './bus';
import { createInProcessBus } from './in-process-bus';
import { createRabbitMqBus } from './rabbitmq/rabbitmq-bus';

/**
 * RabbitMQ when `url` is set, else the in-process bus (the embedded default, docs/events.md).
 *
 * @example
 * const bus = createEventBus({ url: config.rabbitmqUrl, logger, connectionName: 'data-plane' });
 */
export function createEventBus(options: {
  url: string | undefined;
  logger?: EventsLogger;
  connectionName: string;
}): EventBus {
  return options.url
    ? createRabbitMqBus({
        url: options.url,
        logger: options.logger,
        connectionName: options.connectionName,
      })
    : createInProcessBus({ logger: options.logger });
}
