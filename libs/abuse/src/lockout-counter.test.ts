import { createLimiterStore } from './limiter-store';
import { createLockoutCounter } from './lockout-counter';
import { errorOf, logger } from '../test/support/fixtures';

describe('createLockoutCounter (in memory)', () => {
  const lockout = createLockoutCounter(createLimiterStore({ logger }), { keyPrefix: 'test' });
  const policy = { maxFailures: 3, windowSeconds: 120 };

  it('allows maxFailures attempts, then answers 429 account_locked with Retry-After', async () => {
    expect(await lockout.reserve('carol', policy)).toBe(1);
    expect(await lockout.reserve('carol', policy)).toBe(2);
    expect(await lockout.reserve('carol', policy)).toBe(3);
    const error = await errorOf(lockout.reserve('carol', policy));
    expect(error?.code).toBe('account_locked');
    expect(error?.status).toBe(429);
    expect(Number(error?.headers['Retry-After'])).toBeGreaterThanOrEqual(1);
    expect(Number(error?.headers['Retry-After'])).toBeLessThanOrEqual(120);
    expect(await lockout.reserve('dave', policy)).toBe(1);
    // A laxer policy for the same key (another tenant's settings) does not lock yet.
    expect(await lockout.reserve('carol', { maxFailures: 10, windowSeconds: 120 })).toBe(5);
  });

  it('forgets the attempts on reset', async () => {
    await lockout.reserve('erin', policy);
    await lockout.reserve('erin', policy);
    await lockout.reset('erin', policy);
    expect(await lockout.reserve('erin', policy)).toBe(1);
  });

  it('gives back a released reservation', async () => {
    await lockout.reserve('gus', policy);
    await lockout.reserve('gus', policy);
    await lockout.release('gus', policy);
    expect(await lockout.reserve('gus', policy)).toBe(2);
  });

  /**
   * A check-then-count lockout let a parallel burst through; each reservation is one atomic
   * increment, so exactly maxFailures of a burst get a number.
   *
   * @see issue 15
   */
  it('reserves atomically: exactly maxFailures of a parallel burst are allowed', async () => {
    const outcomes = await Promise.all(
      Array.from(
        { length: 25 },
        async () => (await errorOf(lockout.reserve('burst', policy)))?.code,
      ),
    );
    expect(outcomes.filter((code) => code === undefined)).toHaveLength(3);
    expect(outcomes.filter((code) => code === 'account_locked')).toHaveLength(22);
  });

  it('answers with the configured code and detail', async () => {
    const perPair = createLockoutCounter(createLimiterStore({ logger }), {
      keyPrefix: 'pair',
      code: 'rate_limited',
      detail: 'Too many failed sign-ins from this address.',
    });
    for (let i = 0; i < 3; i++) await perPair.reserve('k', policy);
    const error = await errorOf(perPair.reserve('k', policy));
    expect(error?.code).toBe('rate_limited');
    expect(error?.detail).toBe('Too many failed sign-ins from this address.');
  });
});
