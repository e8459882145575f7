import { createBudgets } from './budgets';
import { digestKey } from './digest-key';
import { createLimiterStore } from './limiter-store';
import { errorOf, logger } from '../test/support/fixtures';

describe('createBudgets (in memory)', () => {
  const store = createLimiterStore({ logger });
  const budgets = createBudgets(
    store,
    { ip: { points: 3, durationSeconds: 60 }, email: { points: 2, durationSeconds: 900 } },
    { keyPrefix: `test:${Date.now()}` },
  );

  it('spends one point per charge and reports what is left', async () => {
    const verdicts = await budgets.spend([
      { budget: 'ip', key: '10.0.0.1' },
      { budget: 'email', key: 'a' },
    ]);
    expect(verdicts.map((v) => [v.budget, v.allowed, v.remainingPoints])).toEqual([
      ['ip', true, 2],
      ['email', true, 1],
    ]);
  });

  it('answers the tightest budget in RateLimit-* fields while allowed', async () => {
    const headers = await budgets.enforce([
      { budget: 'ip', key: '10.0.0.2' },
      { budget: 'email', key: 'b' },
    ]);
    expect(headers).toEqual({
      'RateLimit-Limit': '2',
      'RateLimit-Remaining': '1',
      'RateLimit-Reset': expect.any(String) as string,
      'RateLimit-Policy': '2;w=900',
    });
    expect(await budgets.enforce([])).toEqual({});
  });

  it('refuses with 429 rate_limited, Retry-After and RateLimit-* once a budget is spent', async () => {
    for (let i = 0; i < 3; i++) await budgets.enforce([{ budget: 'ip', key: '10.0.0.3' }]);
    const error = await errorOf(
      budgets.enforce([{ budget: 'ip', key: '10.0.0.3' }], { detail: 'Slow down.' }),
    );
    expect(error?.code).toBe('rate_limited');
    expect(error?.status).toBe(429);
    expect(error?.detail).toBe('Slow down.');
    expect(Number(error?.headers['Retry-After'])).toBeGreaterThanOrEqual(1);
    expect(Number(error?.headers['Retry-After'])).toBeLessThanOrEqual(60);
    expect(error?.headers['RateLimit-Remaining']).toBe('0');
    expect(error?.headers['RateLimit-Policy']).toBe('3;w=60');
    // Another key of the same budget is untouched.
    expect(await errorOf(budgets.enforce([{ budget: 'ip', key: '10.0.0.4' }]))).toBeUndefined();
  });
});

describe('createLimiterStore (Redis unreachable)', () => {
  it('fails closed within the store deadline', async () => {
    const store = createLimiterStore({ redisUrl: 'redis://127.0.0.1:1', logger });
    try {
      expect(store.kind).toBe('redis');
      expect(store.connected()).toBe(false);
      const budgets = createBudgets(
        store,
        { ip: { points: 5, durationSeconds: 60 } },
        {
          keyPrefix: 'test',
        },
      );
      const started = Date.now();
      const error = await errorOf(budgets.enforce([{ budget: 'ip', key: digestKey('x') }]));
      expect(error?.code).toBe('service_unavailable');
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await store.close();
    }
  });
});

describe('digestKey', () => {
  it('is a stable 32-character base64url digest that hides its input', () => {
    const key = digestKey('ada@example.com');
    expect(key).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(digestKey('ada@example.com')).toBe(key);
    expect(digestKey('bob@example.com')).not.toBe(key);
  });
});
