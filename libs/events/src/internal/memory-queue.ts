import type { DeadLetterInfo, EventHandler, EventsLogger } from '../bus';
import { decodeBody } from './decode';
import type { ResolvedSpec } from './defaults';
import { errorMessage, retryDelay } from './defaults';
import { topicMatches } from './topic-match';

/** A message waiting in a memory queue. `attempts` counts the deliveries that already failed. */
interface QueuedMessage {
  body: string;
  attempts: number;
}

export interface MemoryConsumer {
  spec: ResolvedSpec;
  handler: EventHandler;
  inFlight: Set<Promise<void>>;
}

/** One dead-lettered message, as kept by the in-process bus. */
export interface DeadLetterRecord {
  event?: DeadLetterInfo['event'];
  raw: unknown;
  reason: string;
  attempts: number;
}

interface QueueContext {
  logger: EventsLogger;
  isClosed: () => boolean;
  timers: Set<NodeJS.Timeout>;
}

/**
 * The in-memory twin of a RabbitMQ queue: bindings, a FIFO of messages, competing consumers with a
 * prefetch window each, retry timers and a dead-letter list. Shared queues outlive their consumers
 * (like a durable queue); exclusive ones are dropped with their only consumer.
 */
export class MemoryQueue {
  readonly bindings = new Set<string>();
  readonly consumers: MemoryConsumer[] = [];
  readonly deadLetters: DeadLetterRecord[] = [];
  private readonly messages: QueuedMessage[] = [];
  private nextConsumer = 0;
  private scheduled = false;

  constructor(
    readonly name: string,
    readonly mode: 'shared' | 'exclusive',
    private readonly ctx: QueueContext,
  ) {}

  accepts(routingKey: string): boolean {
    for (const pattern of this.bindings) if (topicMatches(pattern, routingKey)) return true;
    return false;
  }

  enqueue(body: string, attempts = 0): void {
    this.messages.push({ body, attempts });
    this.schedule();
  }

  /** Dispatch on a later turn of the event loop: never inside the publisher's call stack. */
  schedule(): void {
    if (this.scheduled || this.ctx.isClosed()) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.messages.length > 0 && !this.ctx.isClosed()) {
      const consumer = this.pickConsumer();
      if (!consumer) return;
      const message = this.messages.shift();
      if (!message) return;
      const delivery = this.deliver(consumer, message).finally(() => {
        consumer.inFlight.delete(delivery);
        this.schedule();
      });
      consumer.inFlight.add(delivery);
    }
  }

  /** Round-robin over consumers that have room in their prefetch window. */
  private pickConsumer(): MemoryConsumer | undefined {
    for (let i = 0; i < this.consumers.length; i++) {
      const index = (this.nextConsumer + i) % this.consumers.length;
      const consumer = this.consumers[index];
      if (consumer && consumer.inFlight.size < consumer.spec.prefetch) {
        this.nextConsumer = index + 1;
        return consumer;
      }
    }
    return undefined;
  }

  private async deliver(consumer: MemoryConsumer, message: QueuedMessage): Promise<void> {
    const attempt = message.attempts + 1;
    const decoded = decodeBody(message.body);
    if (!decoded.ok) {
      await this.giveUp(consumer, { raw: decoded.raw, reason: decoded.reason, attempts: attempt });
      return;
    }
    try {
      await consumer.handler(decoded.event, { attempt, redelivered: false });
    } catch (err) {
      const reason = errorMessage(err);
      const log = { queue: this.name, eventId: decoded.event.id, attempt, err };
      if (this.mode === 'exclusive') {
        this.ctx.logger.warn(log, 'event handler failed; exclusive subscriptions do not retry');
      } else if (attempt >= consumer.spec.maxAttempts) {
        await this.giveUp(consumer, {
          event: decoded.event,
          raw: decoded.raw,
          reason,
          attempts: attempt,
        });
      } else {
        this.ctx.logger.warn(log, 'event handler failed; will retry');
        this.retryLater(message.body, attempt, consumer.spec.retryDelayMs);
      }
    }
  }

  private retryLater(body: string, attempts: number, baseDelayMs: number): void {
    const timer = setTimeout(
      () => {
        this.ctx.timers.delete(timer);
        this.enqueue(body, attempts);
      },
      retryDelay(attempts, baseDelayMs),
    );
    timer.unref();
    this.ctx.timers.add(timer);
  }

  private async giveUp(consumer: MemoryConsumer, record: DeadLetterRecord): Promise<void> {
    const log = { queue: this.name, eventId: record.event?.id, reason: record.reason };
    if (this.mode === 'exclusive') {
      this.ctx.logger.warn(log, 'dropping undeliverable event on an exclusive subscription');
      return;
    }
    this.deadLetters.push(record);
    this.ctx.logger.error({ ...log, attempts: record.attempts }, 'event dead-lettered');
    try {
      await consumer.spec.onDeadLetter?.(record);
    } catch (err) {
      this.ctx.logger.error({ ...log, err }, 'onDeadLetter hook failed');
    }
  }
}
