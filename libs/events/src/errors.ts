import type { z } from 'zod';

/**
 * An envelope or its `data` broke the contract. `issues` are zod's, with paths rooted at the
 * envelope (`['data', 'slug']`), so logs point at the offending field.
 *
 * @example
 * try { parseEvent(body) } catch (err) { if (err instanceof InvalidEventError) log(err.issues) }
 */
export class InvalidEventError extends Error {
  readonly code = 'invalid_event';

  constructor(readonly issues: readonly z.core.$ZodIssue[]) {
    super(
      `Invalid event: ${issues
        .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
        .join('; ')}`,
    );
    this.name = 'InvalidEventError';
  }
}

/**
 * The bus was closed; nothing more can be published or subscribed.
 *
 * @example
 * await bus.close(); await bus.publish(event); // rejects with EventBusClosedError
 */
export class EventBusClosedError extends Error {
  readonly code = 'event_bus_closed';

  constructor() {
    super('The event bus is closed');
    this.name = 'EventBusClosedError';
  }
}

/**
 * The broker did not confirm a publish: it nacked it, the confirm timed out, or the channel went
 * away first. The event may or may not have been routed; publishers retry (ids make that safe).
 *
 * @example
 * bus.publish(event).catch((err) => { if (err instanceof EventPublishError) retryLater() })
 */
export class EventPublishError extends Error {
  readonly code = 'event_publish_failed';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EventPublishError';
  }
}
