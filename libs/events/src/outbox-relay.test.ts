import { randomUUID } from 'node:crypto';
import type { EventBus } from './bus';
import type { EventEnvelope } from './envelope';
import { createEvent } from './envelope';
import { createInProcessBus } from './in-process-bus';
import type { OutboxRecord, OutboxStore } from './outbox-relay';
import { createOutboxRelay } from './outbox-relay';

/** An outbox in memory, behaving like the SQL one: locked batches in seq order, marks on return. */
class FakeOutbox implements OutboxStore {
  readonly rows: Array<OutboxRecord & { sentAt?: Date; lastError?: string }> = [];
  private seq = 0;
  batches = 0;

  add(event: EventEnvelope): OutboxRecord {
    this.seq += 1;
    const row = {
      seq: this.seq,
      id: randomUUID(),
      type: event.type,
      tenantId: event.tenant_id,
      payload: event,
      createdAt: new Date(),
      attempts: 0,
    };
    this.rows.push(row);
    return row;
  }

  pending(): OutboxRecord[] {
    return this.rows.filter((r) => !r.sentAt);
  }

  async withLockedBatch(
    limit: number,
    publish: (rows: OutboxRecord[]) => Promise<string[]>,
  ): Promise<number> {
    this.batches += 1;
    // Hand them over shuffled: the relay must sort by seq itself.
    const batch = this.pending().slice(0, limit).reverse();
    const ids = await publish(batch.map((r) => ({ ...r })));
    for (const id of ids) {
      const row = this.rows.find((r) => r.id === id);
      if (!row || !batch.some((b) => b.id === id))
        throw new Error(`relay marked foreign row ${id}`);
      row.sentAt = new Date();
    }
    return ids.length;
  }

  recordFailure(id: string, message: string): Promise<void> {
    const row = this.rows.find((r) => r.id === id);
    if (row) {
      row.attempts += 1;
      row.lastError = message;
    }
    return Promise.resolve();
  }
}

const tenantId = randomUUID();
const clientEvent = (n: number): EventEnvelope =>
  createEvent('client.updated', tenantId, { client_id: `client-${n}` });

/** A bus that records what it publishes and fails on demand. */
function recordingBus(failWhen: (event: EventEnvelope) => boolean = () => false) {
  const inner = createInProcessBus();
  const published: string[] = [];
  const bus: EventBus = {
    ...inner,
    publish: async (event) => {
      if (failWhen(event)) throw new Error('broker unreachable');
      await inner.publish(event);
      published.push(event.id);
    },
  };
  return { bus, published, close: () => inner.close() };
}

describe('outbox relay', () => {
  it('publishes pending rows in seq order and marks them sent', async () => {
    const store = new FakeOutbox();
    const { bus, published, close } = recordingBus();
    const events = [1, 2, 3, 4, 5].map(clientEvent);
    for (const event of events) store.add(event);
    const relay = createOutboxRelay({ store, bus, batchSize: 2 });

    expect(await relay.flush()).toBe(5);
    expect(published).toEqual(events.map((e) => e.id));
    expect(store.pending()).toEqual([]);
    expect(await relay.flush()).toBe(0);
    await close();
  });

  it('delivers the published events to subscribers of the bus', async () => {
    const store = new FakeOutbox();
    const bus = createInProcessBus();
    const received: string[] = [];
    await bus.subscribe({ name: 'dp', routingKeys: ['client.*'], mode: 'shared' }, (event) => {
      received.push(event.id);
      return Promise.resolve();
    });
    const event = clientEvent(1);
    store.add(event);
    await createOutboxRelay({ store, bus }).flush();
    await new Promise((resolve) => setImmediate(resolve));
    await bus.close();
    expect(received).toEqual([event.id]);
  });

  it('stops at the first failure, never marks the failed or later rows, and resumes in order', async () => {
    const store = new FakeOutbox();
    let brokerUp = false;
    const events = [1, 2, 3, 4].map(clientEvent);
    const third = events[2]!;
    const { bus, published, close } = recordingBus((e) => !brokerUp && e.id === third.id);
    for (const event of events) store.add(event);
    const relay = createOutboxRelay({ store, bus });

    expect(await relay.flush()).toBe(2);
    expect(published).toEqual([events[0]!.id, events[1]!.id]);
    expect(store.pending().map((r) => (r.payload as EventEnvelope).id)).toEqual([
      third.id,
      events[3]!.id,
    ]);
    const failed = store.rows.find((r) => (r.payload as EventEnvelope).id === third.id);
    expect(failed).toMatchObject({ attempts: 1, lastError: 'broker unreachable' });

    brokerUp = true;
    expect(await relay.flush()).toBe(2);
    expect(published).toEqual(events.map((e) => e.id));
    expect(store.pending()).toEqual([]);
    await close();
  });

  it('treats an invalid payload as a failure instead of publishing it', async () => {
    const store = new FakeOutbox();
    const { bus, published, close } = recordingBus();
    const row = store.add(clientEvent(1));
    row.payload = { ...(row.payload as EventEnvelope), version: 9 };
    store.rows[0]!.payload = row.payload;

    expect(await createOutboxRelay({ store, bus }).flush()).toBe(0);
    expect(published).toEqual([]);
    expect(store.pending()).toHaveLength(1);
    expect(store.rows[0]!.lastError).toMatch(/version/);
    await close();
  });

  it('keeps polling after failures and publishes once the broker is back', async () => {
    const store = new FakeOutbox();
    let brokerUp = false;
    const { bus, published, close } = recordingBus(() => !brokerUp);
    const event = clientEvent(1);
    store.add(event);
    const relay = createOutboxRelay({ store, bus, pollIntervalMs: 5, maxBackoffMs: 20 });
    relay.start();
    await waitUntil(() => store.rows[0]!.attempts >= 2);
    expect(published).toEqual([]);
    brokerUp = true;
    await waitUntil(() => store.pending().length === 0);
    expect(published).toEqual([event.id]);

    const later = clientEvent(2);
    store.add(later);
    relay.kick();
    await waitUntil(() => store.pending().length === 0);
    await relay.stop();
    expect(published).toEqual([event.id, later.id]);
    await close();
  });

  it('survives a store that throws, and stop() ends polling', async () => {
    const store = new FakeOutbox();
    const failing: OutboxStore = {
      withLockedBatch: () => {
        store.batches += 1;
        return Promise.reject(new Error('database is locked'));
      },
    };
    const { bus, close } = recordingBus();
    const relay = createOutboxRelay({ store: failing, bus, pollIntervalMs: 1, maxBackoffMs: 5 });
    await expect(relay.flush()).resolves.toBe(0);
    relay.start();
    await waitUntil(() => store.batches >= 3);
    await relay.stop();
    const after = store.batches;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(store.batches).toBe(after);
    await close();
  });
});

async function waitUntil(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
