import type { EventEnvelope } from './envelope';

/** What a handler learns about the delivery besides the event itself. */
export interface DeliveryMeta {
  /** 1 on the first delivery, incremented by each retry after a handler failure. */
  attempt: number;
  /** The broker delivered this copy before (e.g. a consumer died before acknowledging it). */
  redelivered: boolean;
}

/**
 * Handles one event. Resolving acknowledges it; throwing schedules a retry (shared subscriptions).
 * Delivery is at-least-once, so handlers must be idempotent on `event.id`.
 */
export type EventHandler = (event: EventEnvelope, meta: DeliveryMeta) => Promise<void>;

/** Passed to `onDeadLetter` when a message is given up on. */
export interface DeadLetterInfo {
  /** Absent when the message was not a valid event (poison). */
  event?: EventEnvelope;
  /** The decoded body (or the text, when it was not JSON). */
  raw: unknown;
  reason: string;
  attempts: number;
}

/** How a consumer attaches to the bus. */
export interface SubscriptionSpec {
  /**
   * Queue name. `shared`: subscribers with the same name compete for messages (one replica handles
   * each), and the queue outlives them. `exclusive`: only used in logs.
   */
  name: string;
  /** Topic patterns (`tenant.*`, `client.#`) matched against the event type. */
  routingKeys: string[];
  /**
   * `shared`: durable work queue with retries and a dead-letter queue.
   * `exclusive`: every subscriber gets every matching event while it is connected (cache
   * invalidation); failures are logged and dropped.
   */
  mode: 'shared' | 'exclusive';
  /** Handlers running at once for this subscription. Default 10. */
  prefetch?: number;
  /** Total deliveries before a failing event is dead-lettered. Default 5. */
  maxAttempts?: number;
  /** Base retry delay; attempt n waits `retryDelayMs * 2^(n-1)`, at most 60 s. Default 1000. */
  retryDelayMs?: number;
  /** Called once a message lands in the dead-letter queue, before it is acknowledged. */
  onDeadLetter?: (info: DeadLetterInfo) => Promise<void>;
}

/** A live subscription. */
export interface Subscription {
  /** Stops consuming; in-flight handlers finish first. The shared queue and its messages remain. */
  close(): Promise<void>;
}

/** The one interface both the RabbitMQ and the in-process bus implement (conventions §12). */
export interface EventBus {
  /** Resolves once the broker has the event (publisher confirm); rejects on nack or timeout. */
  publish(event: EventEnvelope): Promise<void>;
  subscribe(spec: SubscriptionSpec, handler: EventHandler): Promise<Subscription>;
  /** False while the broker is unreachable (for `/readyz`). */
  isConnected(): boolean;
  /** Stops consumers, waits for in-flight handlers, and releases the connection. Idempotent. */
  close(): Promise<void>;
}

/** The pino-compatible subset the buses and the relay log through. */
export interface EventsLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
