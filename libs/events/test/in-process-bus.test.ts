import { EventBusClosedError, createInProcessBus } from '../src/index';
import { busContractSuite } from './bus-contract.suite';
import { eventually, sampleEvent } from './support/events';

busContractSuite('in-process', () => {
  const bus = createInProcessBus();
  return Promise.resolve({
    bus,
    injectRaw: (routingKey, body) => {
      bus.publishRaw(routingKey, body);
      return Promise.resolve();
    },
    deadLetters: (name) =>
      Promise.resolve(
        bus.deadLetters(name).map((d) => ({
          eventId: d.event?.id,
          reason: d.reason,
          attempts: d.attempts,
        })),
      ),
    cleanup: () => bus.close(),
  });
});

describe('in-process bus', () => {
  it('never runs a handler inside the publisher’s call stack', async () => {
    const bus = createInProcessBus();
    const calls: string[] = [];
    await bus.subscribe({ name: 'q', routingKeys: ['#'], mode: 'exclusive' }, () => {
      calls.push('handler');
      return Promise.resolve();
    });
    const publishing = bus.publish(sampleEvent());
    calls.push('after publish');
    await publishing;
    await eventually(() => {
      expect(calls).toEqual(['after publish', 'handler']);
    });
    await bus.close();
  });

  it('closes even when a handler never settles', async () => {
    const bus = createInProcessBus({ drainTimeoutMs: 10 });
    let started = false;
    await bus.subscribe({ name: 'q', routingKeys: ['#'], mode: 'shared' }, () => {
      started = true;
      return new Promise<void>(() => undefined);
    });
    await bus.publish(sampleEvent());
    await eventually(() => {
      expect(started).toBe(true);
    });
    await expect(bus.close()).resolves.toBeUndefined();
  });

  it('hands out copies of its dead letters', async () => {
    const bus = createInProcessBus();
    await bus.subscribe({ name: 'q', routingKeys: ['#'], mode: 'shared' }, () => Promise.resolve());
    bus.publishRaw('client.created', '{}');
    await eventually(() => {
      expect(bus.deadLetters('q')).toHaveLength(1);
    });
    bus.deadLetters('q').pop();
    expect(bus.deadLetters('q')).toHaveLength(1);
    expect(bus.deadLetters('unknown')).toEqual([]);
    await bus.close();
    expect(() => {
      bus.publishRaw('client.created', '{}');
    }).toThrow(EventBusClosedError);
  });
});
