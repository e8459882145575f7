import { dlqTools } from '@hellojohn/events';
import { AppError } from '@hellojohn/http';
import type { DeadLetterListView, ReplayResultView } from './dead-letters.schemas';
import { describeDeadLetter } from './describe-dead-letter';

const IN_PROCESS_NOTE =
  'Embedded mode (no HJ_RABBITMQ_URL): events travel in memory, so there is no durable ' +
  'dead-letter queue to read or replay. Failed deliveries are logged, and the control plane ' +
  'keeps every event in its outbox.';

export interface DeadLetterService {
  list(limit: number): Promise<DeadLetterListView>;
  replay(limit: number, actor: string): Promise<ReplayResultView>;
}

/** A broker that cannot be reached is a 503 to the operator, not a 500. */
async function onBroker<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new AppError('service_unavailable', 'RabbitMQ could not be reached.', { cause: error });
  }
}

/**
 * The data plane's dead-letter queue for `queue` (the provisioning subscription): listed without
 * consuming, replayed once the cause is fixed. `rabbitmqUrl` undefined is the embedded mode.
 */
export function createDeadLetterService(options: {
  rabbitmqUrl: string | undefined;
  queue: string;
  logger: { info(fields: object, message: string): void };
}): DeadLetterService {
  const queue = `${options.queue}.dlq`;
  const url = options.rabbitmqUrl;
  return {
    async list(limit) {
      if (url === undefined) {
        return { mode: 'in-process', queue, data: [], more: false, note: IN_PROCESS_NOTE };
      }
      const found = await onBroker(() => dlqTools.listDeadLetters(url, options.queue, limit));
      return {
        mode: 'rabbitmq',
        queue,
        data: found.map(describeDeadLetter),
        more: found.length >= limit,
      };
    },
    async replay(limit, actor) {
      if (url === undefined) {
        return { mode: 'in-process', queue, replayed: 0, note: IN_PROCESS_NOTE };
      }
      const replayed = await onBroker(() =>
        dlqTools.replayDeadLetters(url, options.queue, { limit }),
      );
      options.logger.info({ queue, replayed, actor }, 'dead letters replayed');
      return { mode: 'rabbitmq', queue, replayed };
    },
  };
}
