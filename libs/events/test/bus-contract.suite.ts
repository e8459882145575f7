import type { DeliveryMeta, EventEnvelope, SubscriptionSpec } from '../src/index';
import { EventBusClosedError, InvalidEventError } from '../src/index';
import {
  eventually,
  randomSuffix,
  sampleEvent,
  tick,
  type TestBus,
  type TestBusFactory,
} from './support/events';

interface Received {
  event: EventEnvelope;
  meta: DeliveryMeta;
}

/**
 * The behaviour every EventBus must show (conventions §12). Each test gets its own test bus (own
 * exchange) and queue names with a random suffix, and cleans up after itself.
 */
export function busContractSuite(label: string, createTestBus: TestBusFactory): void {
  describe(`EventBus contract: ${label}`, () => {
    let harness: TestBus;
    let names: string[];
    const name = (base: string): string => {
      const full = `test.${base}.${randomSuffix()}`;
      names.push(full);
      return full;
    };

    beforeEach(async () => {
      names = [];
      // The factory sees `names` by reference, so queues named later are cleaned up too.
      harness = await createTestBus(names);
    });

    afterEach(async () => {
      await harness.cleanup();
    });

    function collector(): {
      received: Received[];
      handler: (e: EventEnvelope, m: DeliveryMeta) => Promise<void>;
    } {
      const received: Received[] = [];
      return {
        received,
        handler: (event, meta) => {
          received.push({ event, meta });
          return Promise.resolve();
        },
      };
    }

    const shared = (queue: string, extra: Partial<SubscriptionSpec> = {}): SubscriptionSpec => ({
      name: queue,
      routingKeys: ['#'],
      mode: 'shared',
      retryDelayMs: 10,
      ...extra,
    });

    it('delivers published events to subscribers whose routing keys match', async () => {
      const single = collector();
      const multi = collector();
      await harness.bus.subscribe(
        shared(name('single'), { routingKeys: ['tenant.*'], prefetch: 1 }),
        single.handler,
      );
      await harness.bus.subscribe(
        shared(name('multi'), { routingKeys: ['tenant.#'], prefetch: 1 }),
        multi.handler,
      );
      const created = sampleEvent('tenant.created');
      const rotation = sampleEvent('tenant.keys.rotation_requested');
      const client = sampleEvent('client.created');
      const sentinel = sampleEvent('tenant.updated');
      for (const event of [created, rotation, client, sentinel]) await harness.bus.publish(event);

      await eventually(() => {
        expect(single.received.map((r) => r.event.id)).toContain(sentinel.id);
        expect(multi.received.map((r) => r.event.id)).toContain(sentinel.id);
      });
      expect(single.received.map((r) => r.event.id)).toEqual([created.id, sentinel.id]);
      expect(multi.received.map((r) => r.event.id)).toEqual([created.id, rotation.id, sentinel.id]);
      expect(single.received[0]?.event).toEqual(created);
      expect(single.received[0]?.meta).toEqual({ attempt: 1, redelivered: false });
    });

    it('gives each message to exactly one of the consumers sharing a queue', async () => {
      const queue = name('competing');
      const seen = new Map<string, number>();
      const perConsumer = [0, 0];
      for (const index of [0, 1]) {
        await harness.bus.subscribe(shared(queue, { prefetch: 1 }), async (event) => {
          seen.set(event.id, (seen.get(event.id) ?? 0) + 1);
          perConsumer[index] = (perConsumer[index] ?? 0) + 1;
          await tick(5);
        });
      }
      const events = Array.from({ length: 20 }, () => sampleEvent('client.updated'));
      for (const event of events) await harness.bus.publish(event);

      await eventually(() => {
        expect(seen.size).toBe(20);
      });
      await tick(100);
      expect([...seen.values()].every((count) => count === 1)).toBe(true);
      expect(perConsumer[0]).toBeGreaterThan(0);
      expect(perConsumer[1]).toBeGreaterThan(0);
    });

    it('gives every exclusive subscription every matching message', async () => {
      const first = collector();
      const second = collector();
      const spec: SubscriptionSpec = {
        name: name('cache'),
        routingKeys: ['client.*'],
        mode: 'exclusive',
      };
      await harness.bus.subscribe(spec, first.handler);
      await harness.bus.subscribe(spec, second.handler);
      const events = Array.from({ length: 5 }, () => sampleEvent('client.deleted'));
      for (const event of events) await harness.bus.publish(event);

      await eventually(() => {
        expect(first.received).toHaveLength(5);
        expect(second.received).toHaveLength(5);
      });
      const ids = events.map((e) => e.id).sort();
      expect(first.received.map((r) => r.event.id).sort()).toEqual(ids);
      expect(second.received.map((r) => r.event.id).sort()).toEqual(ids);
    });

    it('retries a failing handler with increasing attempt numbers until it succeeds', async () => {
      const queue = name('retry');
      const attempts: number[] = [];
      const deadLettered: unknown[] = [];
      await harness.bus.subscribe(
        shared(queue, {
          maxAttempts: 5,
          onDeadLetter: (info) => {
            deadLettered.push(info);
            return Promise.resolve();
          },
        }),
        (_event, meta) => {
          attempts.push(meta.attempt);
          return meta.attempt < 3 ? Promise.reject(new Error('not yet')) : Promise.resolve();
        },
      );
      await harness.bus.publish(sampleEvent());

      await eventually(() => {
        expect(attempts).toEqual([1, 2, 3]);
      });
      await tick(100);
      expect(attempts).toEqual([1, 2, 3]);
      expect(deadLettered).toEqual([]);
      expect(await harness.deadLetters(queue)).toEqual([]);
    });

    it('dead-letters a message after maxAttempts and calls onDeadLetter', async () => {
      const queue = name('exhaust');
      const attempts: number[] = [];
      const deadLettered: Array<{ eventId?: string; reason: string; attempts: number }> = [];
      const event = sampleEvent('tenant.created');
      await harness.bus.subscribe(
        shared(queue, {
          maxAttempts: 3,
          onDeadLetter: (info) => {
            deadLettered.push({
              eventId: info.event?.id,
              reason: info.reason,
              attempts: info.attempts,
            });
            return Promise.resolve();
          },
        }),
        (_event, meta) => {
          attempts.push(meta.attempt);
          return Promise.reject(new Error('database unreachable'));
        },
      );
      await harness.bus.publish(event);

      await eventually(() => {
        expect(deadLettered).toHaveLength(1);
      });
      expect(attempts).toEqual([1, 2, 3]);
      expect(deadLettered[0]).toEqual({
        eventId: event.id,
        reason: 'database unreachable',
        attempts: 3,
      });
      const dlq = await harness.deadLetters(queue);
      expect(dlq).toEqual([{ eventId: event.id, reason: 'database unreachable', attempts: 3 }]);
      await tick(100);
      expect(attempts).toEqual([1, 2, 3]);
    });

    it('dead-letters poison messages at once and keeps handling the next ones', async () => {
      const queue = name('poison');
      const handled = collector();
      const deadLettered: Array<{ event?: EventEnvelope; raw: unknown; attempts: number }> = [];
      await harness.bus.subscribe(
        shared(queue, {
          routingKeys: ['client.*'],
          prefetch: 1,
          onDeadLetter: (info) => {
            deadLettered.push({ event: info.event, raw: info.raw, attempts: info.attempts });
            return Promise.resolve();
          },
        }),
        handled.handler,
      );
      const good = sampleEvent('client.created');
      await harness.injectRaw('client.created', 'this is not json');
      await harness.injectRaw('client.created', JSON.stringify({ ...good, version: 2 }));
      await harness.bus.publish(good);

      await eventually(() => {
        expect(handled.received).toHaveLength(1);
        expect(deadLettered).toHaveLength(2);
      });
      expect(handled.received[0]?.event.id).toBe(good.id);
      expect(deadLettered.map((d) => d.attempts)).toEqual([1, 1]);
      expect(deadLettered.every((d) => d.event === undefined)).toBe(true);
      expect(deadLettered[0]?.raw).toBe('this is not json');
      const dlq = await harness.deadLetters(queue);
      expect(dlq).toHaveLength(2);
      expect(dlq.every((d) => d.attempts === 1 && typeof d.reason === 'string')).toBe(true);
    });

    it('does not retry failures on exclusive subscriptions', async () => {
      const attempts: string[] = [];
      await harness.bus.subscribe(
        { name: name('fragile'), routingKeys: ['client.*'], mode: 'exclusive', prefetch: 1 },
        (event, meta) => {
          attempts.push(`${event.type}:${meta.attempt}`);
          return event.type === 'client.deleted'
            ? Promise.reject(new Error('nope'))
            : Promise.resolve();
        },
      );
      await harness.bus.publish(sampleEvent('client.deleted'));
      await harness.bus.publish(sampleEvent('client.updated'));
      await eventually(() => {
        expect(attempts).toContain('client.updated:1');
      });
      await tick(100);
      expect(attempts).toEqual(['client.deleted:1', 'client.updated:1']);
    });

    it('keeps messages for a shared queue while nobody consumes it', async () => {
      const queue = name('durable');
      const first = await harness.bus.subscribe(shared(queue), () => Promise.resolve());
      await first.close();
      const event = sampleEvent();
      await harness.bus.publish(event);
      const later = collector();
      await harness.bus.subscribe(shared(queue), later.handler);
      await eventually(() => {
        expect(later.received.map((r) => r.event.id)).toEqual([event.id]);
      });
    });

    it('hands handlers a copy the publisher does not share', async () => {
      const queue = name('copy');
      const received: EventEnvelope[] = [];
      await harness.bus.subscribe(shared(queue), (event) => {
        received.push(event);
        if (event.type === 'client.updated') event.data.client_id = 'mutated';
        return Promise.resolve();
      });
      const event = sampleEvent('client.updated');
      const snapshot = structuredClone(event);
      await harness.bus.publish(event);
      await eventually(() => {
        expect(received).toHaveLength(1);
      });
      expect(event).toEqual(snapshot);
    });

    it('rejects an invalid event at publish time', async () => {
      const event = { ...sampleEvent(), tenant_id: 'not-a-uuid' };
      await expect(harness.bus.publish(event)).rejects.toBeInstanceOf(InvalidEventError);
    });

    it('rejects an invalid subscription spec', async () => {
      await expect(
        harness.bus.subscribe(shared(name('bad'), { prefetch: 0 }), () => Promise.resolve()),
      ).rejects.toThrow(/prefetch/);
      await expect(
        harness.bus.subscribe(shared(name('bad'), { routingKeys: [] }), () => Promise.resolve()),
      ).rejects.toThrow(/routingKeys/);
    });

    it('rejects publish and subscribe after close', async () => {
      await eventually(() => {
        expect(harness.bus.isConnected()).toBe(true);
      });
      await harness.bus.close();
      expect(harness.bus.isConnected()).toBe(false);
      await expect(harness.bus.publish(sampleEvent())).rejects.toBeInstanceOf(EventBusClosedError);
      await expect(
        harness.bus.subscribe(shared(name('late')), () => Promise.resolve()),
      ).rejects.toBeInstanceOf(EventBusClosedError);
      await harness.bus.close();
    });
  });
}
