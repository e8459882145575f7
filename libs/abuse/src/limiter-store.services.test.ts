import { randomUUID } from 'node:crypto';
import { Socket } from 'node:net';
import { AppError, createLogger } from '@hellojohn/http';
import { Redis } from 'ioredis';
import { createBudgets } from './budgets';
import { createLimiterStore, type LimiterStore } from './limiter-store';
import { createLockoutCounter } from './lockout-counter';
import { createProgressiveDelay } from './progressive-delay';

const REDIS_URL = process.env.HJ_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const logger = createLogger({ name: 'abuse-services-test', level: 'silent' });

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
}

describe('budgets and lockout on the shared Redis', () => {
  const prefix = `hjtest-${randomUUID()}`;
  const admin = new Redis(REDIS_URL, { lazyConnect: true });
  let store: LimiterStore;
  let other: LimiterStore;

  beforeAll(async () => {
    await admin.connect();
    store = createLimiterStore({ redisUrl: REDIS_URL, logger, connectionName: 'abuse-test' });
    // A second replica: its own client, the same counters.
    other = createLimiterStore({ redisUrl: REDIS_URL, logger, connectionName: 'abuse-test-2' });
    const deadline = Date.now() + 10_000;
    while (!(store.connected() && other.connected())) {
      if (Date.now() > deadline) throw new Error('redis did not connect');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });

  afterAll(async () => {
    await store.close();
    await other.close();
    const keys = await admin.keys(`${prefix}:*`);
    if (keys.length > 0) await admin.del(...keys);
    await admin.quit();
  });

  it('shares one budget between replicas, under the given key names', async () => {
    const rules = { ip: { points: 3, durationSeconds: 60 } };
    const a = createBudgets(store, rules, { keyPrefix: `${prefix}:rl` });
    const b = createBudgets(other, rules, { keyPrefix: `${prefix}:rl` });
    await a.enforce([{ budget: 'ip', key: '10.0.0.1' }]);
    await b.enforce([{ budget: 'ip', key: '10.0.0.1' }]);
    await a.enforce([{ budget: 'ip', key: '10.0.0.1' }]);
    expect(await codeOf(b.enforce([{ budget: 'ip', key: '10.0.0.1' }]))).toBe('rate_limited');
    expect(await admin.keys(`${prefix}:rl:ip:*`)).toEqual([`${prefix}:rl:ip:10.0.0.1`]);
  });

  /** @see issue 16: one round trip per request, however many budgets it spends. */
  it("sends a request's charges to Redis in one write, with the same budgets", async () => {
    const rules = {
      ip: { points: 2, durationSeconds: 60 },
      account: { points: 2, durationSeconds: 60 },
    };
    const budgets = createBudgets(store, rules, { keyPrefix: `${prefix}:pipelined` });
    // The first call of a connection may load the limiter's script (EVALSHA, then EVAL).
    await budgets.enforce([
      { budget: 'ip', key: 'warm' },
      { budget: 'account', key: 'warm' },
    ]);
    const port = Number(new URL(REDIS_URL).port || 6379);
    const write = jest.spyOn(Socket.prototype, 'write');
    let writes: number;
    try {
      await budgets.enforce([
        { budget: 'ip', key: '10.0.0.9' },
        { budget: 'account', key: 'digest' },
      ]);
      writes = write.mock.contexts.filter(
        (socket) => (socket as Socket).remotePort === port,
      ).length;
    } finally {
      write.mockRestore();
    }
    expect(writes).toBe(1);
    // Each charge still counts on its own key: the second is the last allowed, the third refused.
    await budgets.enforce([
      { budget: 'ip', key: '10.0.0.9' },
      { budget: 'account', key: 'digest' },
    ]);
    expect(await codeOf(budgets.enforce([{ budget: 'ip', key: '10.0.0.9' }]))).toBe('rate_limited');
    expect(await codeOf(budgets.enforce([{ budget: 'account', key: 'digest' }]))).toBe(
      'rate_limited',
    );
    expect(await admin.get(`${prefix}:pipelined:ip:10.0.0.9`)).toBe('3');
  });

  it('locks across replicas and forgets on reset', async () => {
    const policy = { maxFailures: 2, windowSeconds: 60 };
    const a = createLockoutCounter(store, { keyPrefix: `${prefix}:lockout` });
    const b = createLockoutCounter(other, { keyPrefix: `${prefix}:lockout` });
    expect(await a.reserve('k', policy)).toBe(1);
    expect(await b.reserve('k', policy)).toBe(2);
    expect(await codeOf(a.reserve('k', policy))).toBe('account_locked');
    await b.reset('k', policy);
    expect(await a.reserve('k', policy)).toBe(1);
  });

  /** @see issue 15 */
  it('reserves atomically in Redis: exactly maxFailures of a burst from two replicas pass', async () => {
    const policy = { maxFailures: 3, windowSeconds: 60 };
    const replicas = [store, other].map((s) =>
      createLockoutCounter(s, { keyPrefix: `${prefix}:lockout` }),
    );
    const codes = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        codeOf(replicas[i % 2]?.reserve('burst', policy) ?? Promise.resolve()),
      ),
    );
    expect(codes.filter((code) => code === undefined)).toHaveLength(3);
    expect(codes.filter((code) => code === 'account_locked')).toHaveLength(22);
  });

  /** @see issue 15 */
  it('delays across replicas: one attempt of a burst past the free failures, then the wait', async () => {
    const policy = { freeFailures: 2, baseSeconds: 1, maxSeconds: 30, windowSeconds: 60 };
    const replicas = [store, other].map((s) =>
      createProgressiveDelay(s, { keyPrefix: `${prefix}:delay` }),
    );
    const codes = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        codeOf(replicas[i % 2]?.reserve('burst', policy) ?? Promise.resolve()),
      ),
    );
    expect(codes.filter((code) => code === undefined)).toHaveLength(3);
    expect(codes.filter((code) => code === 'rate_limited')).toHaveLength(22);
    // The gate is in Redis with an expiry (never a key without one), and reset lifts it.
    const gate = `${prefix}:delay:gate:burst`;
    expect(await admin.pttl(gate)).toBeGreaterThan(0);
    expect(await admin.pttl(`${prefix}:delay:failures:burst`)).toBeGreaterThan(0);
    await replicas[1]?.reset('burst', policy);
    expect(await admin.exists(gate, `${prefix}:delay:failures:burst`)).toBe(0);
    expect(await replicas[0]?.reserve('burst', policy)).toEqual({ attempt: 1, delaySeconds: 0 });
  });
});
