import { deadLetterRoutes } from './dead-letters.routes';
import { createDeadLetterService } from './dead-letters.service';

/** The dead-letter queue of the provisioning subscription, for platform operators. */
export interface DeadLettersModule {
  endpoints: ReturnType<typeof deadLetterRoutes>;
}

export function createDeadLettersModule(options: {
  rabbitmqUrl: string | undefined;
  queue: string;
  logger: { info(fields: object, message: string): void };
}): DeadLettersModule {
  return { endpoints: deadLetterRoutes(createDeadLetterService(options)) };
}
