import type { EventBus, EventHandler, EventsLogger, Subscription, SubscriptionSpec } from './bus';
import type { EventEnvelope } from './envelope';
import { parseEvent } from './envelope';
import { EventBusClosedError } from './errors';
import { resolveSpec, silentLogger } from './internal/defaults';
import { withTimeout } from './internal/with-timeout';
import type { DeadLetterRecord, MemoryConsumer } from './internal/memory-queue';
import { MemoryQueue } from './internal/memory-queue';

/** The in-process bus, with the extras tests and the embedded mode need. */
export interface InProcessBus extends EventBus {
  /** Copies of the messages dead-lettered on the shared subscription `name`. */
  deadLetters(name: string): DeadLetterRecord[];
  /**
   * Routes a raw body as if a foreign producer had published it, bypassing validation. For tests
   * of poison-message handling.
   */
  publishRaw(routingKey: string, body: string): void;
}

export interface InProcessBusOptions {
  logger?: EventsLogger;
  /** How long `close()` and `Subscription.close()` wait for running handlers. Default 10000. */
  drainTimeoutMs?: number;
}

/**
 * An {@link EventBus} in memory, used when `HJ_RABBITMQ_URL` is unset and both planes share one
 * process. It keeps RabbitMQ's semantics (topic routing, competing consumers on a shared name,
 * fan-out to exclusive subscribers, retries with back-off, dead letters) but nothing survives a
 * restart: the control plane's outbox is what makes events durable in that mode.
 *
 * @example
 * const bus = createInProcessBus();
 * await bus.subscribe({ name: 'cache', routingKeys: ['client.*'], mode: 'exclusive' }, onEvent);
 * await bus.publish(createEvent('client.updated', tenantId, { client_id }));
 */
export function createInProcessBus(options: InProcessBusOptions = {}): InProcessBus {
  const logger = options.logger ?? silentLogger;
  const drainTimeoutMs = options.drainTimeoutMs ?? 10_000;
  let closed = false;
  const timers = new Set<NodeJS.Timeout>();
  const context = { logger, timers, isClosed: () => closed };
  const sharedQueues = new Map<string, MemoryQueue>();
  const exclusiveQueues = new Set<MemoryQueue>();

  function allQueues(): MemoryQueue[] {
    return [...sharedQueues.values(), ...exclusiveQueues];
  }

  function route(routingKey: string, body: string): void {
    for (const queue of allQueues()) if (queue.accepts(routingKey)) queue.enqueue(body);
  }

  async function drain(consumers: MemoryConsumer[]): Promise<void> {
    const running = consumers.flatMap((c) => [...c.inFlight]);
    await withTimeout(Promise.allSettled(running), drainTimeoutMs, () => new Error('drain')).catch(
      () => {
        // Nothing to hand back in memory: a handler that never settles is only reported.
        logger.warn({ inFlight: running.length }, 'closing with event handlers still running');
      },
    );
  }

  return {
    publish(event: EventEnvelope): Promise<void> {
      if (closed) return Promise.reject(new EventBusClosedError());
      try {
        const valid = parseEvent(event);
        // Serializing once gives each delivery its own copy: handlers cannot mutate the
        // publisher's object, nor each other's.
        route(valid.type, JSON.stringify(valid));
        return Promise.resolve();
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
    },

    subscribe(spec: SubscriptionSpec, handler: EventHandler): Promise<Subscription> {
      if (closed) return Promise.reject(new EventBusClosedError());
      let resolved: ReturnType<typeof resolveSpec>;
      try {
        resolved = resolveSpec(spec);
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
      let queue: MemoryQueue;
      if (resolved.mode === 'shared') {
        queue =
          sharedQueues.get(resolved.name) ?? new MemoryQueue(resolved.name, 'shared', context);
        sharedQueues.set(resolved.name, queue);
      } else {
        queue = new MemoryQueue(resolved.name, 'exclusive', context);
        exclusiveQueues.add(queue);
      }
      for (const key of resolved.routingKeys) queue.bindings.add(key);
      const consumer: MemoryConsumer = { spec: resolved, handler, inFlight: new Set() };
      queue.consumers.push(consumer);
      queue.schedule();
      const subscription: Subscription = {
        async close() {
          const index = queue.consumers.indexOf(consumer);
          if (index >= 0) queue.consumers.splice(index, 1);
          if (queue.mode === 'exclusive') exclusiveQueues.delete(queue);
          await drain([consumer]);
        },
      };
      return Promise.resolve(subscription);
    },

    isConnected: () => !closed,

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await drain(allQueues().flatMap((q) => q.consumers));
    },

    deadLetters(name: string): DeadLetterRecord[] {
      return (sharedQueues.get(name)?.deadLetters ?? []).map((record) => ({ ...record }));
    },

    publishRaw(routingKey: string, body: string): void {
      if (closed) throw new EventBusClosedError();
      route(routingKey, body);
    },
  };
}
