import type { DeliveryMeta, EventEnvelope } from '../src/index';
import { EventPublishError, createRabbitMqBus, dlqTools } from '../src/index';
import { CRASH_DELIVERY_LIMIT } from '../src/rabbitmq/topology';
import { busContractSuite } from './bus-contract.suite';
import { eventually, randomSuffix, sampleEvent } from './support/events';
import { createRabbitTestBus, dropConnections, rabbitUrl, withChannel } from './support/rabbitmq';

busContractSuite('rabbitmq', (queueNames) => Promise.resolve(createRabbitTestBus(queueNames)));

describe('RabbitMQ bus', () => {
  const queueNames: string[] = [];
  let harness: ReturnType<typeof createRabbitTestBus>;

  beforeEach(() => {
    queueNames.length = 0;
    harness = createRabbitTestBus(queueNames);
  });

  afterEach(async () => {
    await harness.cleanup();
  });

  const queueName = (base: string): string => {
    const name = `test.${base}.${randomSuffix()}`;
    queueNames.push(name);
    return name;
  };

  it('redelivers a message whose consumer died before acknowledging it', async () => {
    const queue = queueName('crash');
    const spec = { name: queue, routingKeys: ['client.*'], mode: 'shared' as const };
    const doomed = harness.openBus({ drainTimeoutMs: 50 });
    const started: string[] = [];
    await doomed.subscribe(spec, (event) => {
      started.push(event.id);
      // Never settles, like a process killed mid-handler.
      return new Promise<void>(() => undefined);
    });
    const event = sampleEvent('client.created');
    await harness.bus.publish(event);
    await eventually(() => {
      expect(started).toEqual([event.id]);
    });
    await doomed.close();

    const survivor: Array<{ event: EventEnvelope; meta: DeliveryMeta }> = [];
    await harness.bus.subscribe(spec, (e, meta) => {
      survivor.push({ event: e, meta });
      return Promise.resolve();
    });
    await eventually(() => {
      expect(survivor).toHaveLength(1);
    });
    expect(survivor[0]?.event.id).toBe(event.id);
    expect(survivor[0]?.meta).toEqual({ attempt: 1, redelivered: true });
  });

  it('replays dead letters to the exchange with a fresh attempt count', async () => {
    const queue = queueName('replay');
    let healthy = false;
    const handled: DeliveryMeta[] = [];
    await harness.bus.subscribe(
      {
        name: queue,
        routingKeys: ['tenant.created'],
        mode: 'shared',
        maxAttempts: 2,
        retryDelayMs: 10,
      },
      (_event, meta) => {
        if (!healthy) return Promise.reject(new Error('tenant database server down'));
        handled.push(meta);
        return Promise.resolve();
      },
    );
    const event = sampleEvent('tenant.created');
    await harness.bus.publish(event);
    await eventually(async () => {
      expect(await dlqTools.listDeadLetters(rabbitUrl, queue, 10)).toHaveLength(1);
    });
    const [dead] = await dlqTools.listDeadLetters(rabbitUrl, `${queue}.dlq`, 10);
    expect(dead?.event).toEqual(event);
    expect(dead?.raw).toBe(JSON.stringify(event));
    expect(dead?.reason).toBe('tenant database server down');
    expect(dead?.attempts).toBe(2);

    healthy = true;
    expect(await dlqTools.replayDeadLetters(rabbitUrl, queue)).toBe(1);
    await eventually(() => {
      expect(handled).toEqual([{ attempt: 1, redelivered: false }]);
    });
    expect(await dlqTools.listDeadLetters(rabbitUrl, queue, 10)).toEqual([]);
  });

  it('reconnects after losing the broker and resumes publishing and consuming', async () => {
    const connectionName = `hj-test-${randomSuffix()}`;
    const bus = harness.openBus({ connectionName });
    const sharedSeen: string[] = [];
    const exclusiveSeen: string[] = [];
    await bus.subscribe(
      { name: queueName('outage'), routingKeys: ['client.*'], mode: 'shared' },
      (event) => {
        sharedSeen.push(event.id);
        return Promise.resolve();
      },
    );
    await bus.subscribe(
      { name: 'cache', routingKeys: ['client.*'], mode: 'exclusive' },
      (event) => {
        exclusiveSeen.push(event.id);
        return Promise.resolve();
      },
    );
    const before = sampleEvent('client.updated');
    await bus.publish(before);
    await eventually(() => {
      expect(sharedSeen).toEqual([before.id]);
      expect(exclusiveSeen).toEqual([before.id]);
    });

    expect(await dropConnections(connectionName)).toBe(1);
    await eventually(() => {
      expect(bus.isConnected()).toBe(false);
    });
    // Sent while disconnected: held by the bus and confirmed after it reconnects.
    const during = sampleEvent('client.updated');
    await bus.publish(during);
    expect(bus.isConnected()).toBe(true);
    await eventually(() => {
      expect(sharedSeen).toEqual([before.id, during.id]);
    });

    // The exclusive queue is a new, server-named one after the reconnect: events published before
    // it is bound are not for it, so keep publishing until one arrives.
    const probes: string[] = [];
    await eventually(async () => {
      const probe = sampleEvent('client.deleted');
      probes.push(probe.id);
      await bus.publish(probe);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(exclusiveSeen.some((id) => probes.includes(id))).toBe(true);
    });
    await eventually(() => {
      expect(sharedSeen).toEqual([before.id, during.id, ...probes]);
    });
  });

  it('dead-letters a message whose consumers keep dying instead of looping forever', async () => {
    const queue = queueName('crash-loop');
    const spec = { name: queue, routingKeys: ['client.*'], mode: 'shared' as const };
    const event = sampleEvent('client.created');
    await harness.bus.subscribe(spec, () => Promise.resolve()).then((s) => s.close());
    await harness.bus.publish(event);
    const deliveries: boolean[] = [];
    // Each round is one replica that takes the message and dies without acknowledging it.
    for (let round = 0; round <= CRASH_DELIVERY_LIMIT; round++) {
      const replica = harness.openBus({ drainTimeoutMs: 10 });
      const seen = deliveries.length;
      await replica.subscribe(spec, (_event, meta) => {
        deliveries.push(meta.redelivered);
        return new Promise<void>(() => undefined);
      });
      await eventually(() => {
        expect(deliveries.length).toBeGreaterThan(seen);
      });
      await replica.close();
    }
    await eventually(async () => {
      const dead = await dlqTools.listDeadLetters(rabbitUrl, queue, 10);
      expect(dead.map((d) => d.event?.id)).toEqual([event.id]);
    });
    expect(deliveries).toHaveLength(CRASH_DELIVERY_LIMIT + 1);
    expect(deliveries.slice(1).every(Boolean)).toBe(true);
  });

  it('rejects subscribe when the queue exists with incompatible arguments', async () => {
    const queue = queueName('clash');
    await withChannel(async (channel) => {
      await channel.assertQueue(queue, { durable: false });
    });
    await expect(
      harness.bus.subscribe({ name: queue, routingKeys: ['#'], mode: 'shared' }, () =>
        Promise.resolve(),
      ),
    ).rejects.toThrow(/PRECONDITION_FAILED|406/);
    // The bus is still usable afterwards.
    await harness.bus.publish(sampleEvent());
  });

  it('rejects publish within the timeout when the broker is unreachable', async () => {
    const bus = createRabbitMqBus({
      url: 'amqp://guest:guest@127.0.0.1:1',
      publishTimeoutMs: 300,
      setupTimeoutMs: 300,
    });
    try {
      expect(bus.isConnected()).toBe(false);
      await expect(bus.publish(sampleEvent())).rejects.toBeInstanceOf(EventPublishError);
      // Start-up must not hang either: the subscription attaches once the broker answers.
      const subscription = await bus.subscribe(
        { name: queueName('offline'), routingKeys: ['#'], mode: 'shared' },
        () => Promise.resolve(),
      );
      await subscription.close();
      expect(bus.isConnected()).toBe(false);
    } finally {
      await bus.close();
    }
  });
});
