import { AppError, createLogger } from '@hellojohn/http';
import { createLimiterStore } from './limiter-store';
import { createLockoutCounter } from './lockout-counter';

const logger = createLogger({ name: 'abuse-test', level: 'silent' });

describe('createLockoutCounter (in memory)', () => {
  const lockout = createLockoutCounter(createLimiterStore({ logger }), { keyPrefix: 'test' });
  const policy = { maxFailures: 3, windowSeconds: 120 };

  async function lockedError(key: string, rules = policy): Promise<AppError | undefined> {
    try {
      await lockout.check(key, rules);
      return undefined;
    } catch (error) {
      if (error instanceof AppError) return error;
      throw error;
    }
  }

  it('locks a key at maxFailures with 429 account_locked and Retry-After', async () => {
    expect(await lockout.fail('carol', policy)).toBe(1);
    expect(await lockout.fail('carol', policy)).toBe(2);
    expect(await lockedError('carol')).toBeUndefined();
    expect(await lockout.fail('carol', policy)).toBe(3);
    const error = await lockedError('carol');
    expect(error?.code).toBe('account_locked');
    expect(error?.status).toBe(429);
    expect(Number(error?.headers['Retry-After'])).toBeGreaterThanOrEqual(1);
    expect(Number(error?.headers['Retry-After'])).toBeLessThanOrEqual(120);
    expect(await lockedError('dave')).toBeUndefined();
    // A laxer policy for the same key (another tenant's settings) does not lock yet.
    expect(await lockedError('carol', { maxFailures: 5, windowSeconds: 120 })).toBeUndefined();
  });

  it('forgets the failures on reset', async () => {
    await lockout.fail('erin', policy);
    await lockout.fail('erin', policy);
    await lockout.reset('erin', policy);
    await lockout.fail('erin', policy);
    await lockout.fail('erin', policy);
    expect(await lockedError('erin')).toBeUndefined();
  });
});
