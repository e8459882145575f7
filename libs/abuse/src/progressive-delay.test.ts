import { createLimiterStore } from './limiter-store';
import { createProgressiveDelay, type DelayPolicy } from './progressive-delay';
import { errorOf, logger } from '../test/support/fixtures';

/** @see issue 15 */
describe('createProgressiveDelay (in memory)', () => {
  const policy: DelayPolicy = {
    freeFailures: 2,
    baseSeconds: 1,
    maxSeconds: 8,
    windowSeconds: 900,
  };

  describe('on a fake clock', () => {
    beforeEach(() => {
      jest.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z') });
    });
    afterEach(() => {
      jest.useRealTimers();
    });

    it('allows the free failures, then one attempt per delay, doubling up to the cap', async () => {
      const delay = createProgressiveDelay(createLimiterStore({ logger }), { keyPrefix: 'd' });
      expect(await delay.reserve('k', policy)).toEqual({ attempt: 1, delaySeconds: 0 });
      expect(await delay.reserve('k', policy)).toEqual({ attempt: 2, delaySeconds: 0 });
      const delays: number[] = [];
      for (let i = 0; i < 6; i++) {
        const { delaySeconds } = await delay.reserve('k', policy);
        delays.push(delaySeconds);
        // Too early: refused with the wait, and the refusal counts as an attempt.
        jest.advanceTimersByTime(delaySeconds * 1000 - 10);
        const early = await errorOf(delay.reserve('k', policy));
        expect(early?.code).toBe('rate_limited');
        expect(early?.status).toBe(429);
        expect(early?.headers['Retry-After']).toBe('1');
        jest.advanceTimersByTime(10);
      }
      // 1 s after the free failures, doubling with every attempt (refused ones included).
      expect(delays).toEqual([1, 4, 8, 8, 8, 8]);
    });

    it('starts again from the free failures after reset', async () => {
      const delay = createProgressiveDelay(createLimiterStore({ logger }), { keyPrefix: 'd' });
      for (let i = 0; i < 3; i++) await delay.reserve('k', policy);
      expect((await errorOf(delay.reserve('k', policy)))?.code).toBe('rate_limited');
      await delay.reset('k', policy);
      expect(await delay.reserve('k', policy)).toEqual({ attempt: 1, delaySeconds: 0 });
    });

    it('forgets the failures when the window ends', async () => {
      const delay = createProgressiveDelay(createLimiterStore({ logger }), { keyPrefix: 'd' });
      const short = { ...policy, windowSeconds: 60 };
      for (let i = 0; i < 3; i++) await delay.reserve('k', short);
      jest.advanceTimersByTime(60_000);
      expect(await delay.reserve('k', short)).toEqual({ attempt: 1, delaySeconds: 0 });
    });
  });

  it('lets one attempt of a parallel burst past the free failures', async () => {
    const delay = createProgressiveDelay(createLimiterStore({ logger }), { keyPrefix: 'd' });
    const outcomes = await Promise.all(
      Array.from({ length: 25 }, async () => (await errorOf(delay.reserve('burst', policy)))?.code),
    );
    expect(outcomes.filter((code) => code === undefined)).toHaveLength(3);
    expect(outcomes.filter((code) => code === 'rate_limited')).toHaveLength(22);
    // Keys apart: another key is still free.
    expect(await delay.reserve('other', policy)).toEqual({ attempt: 1, delaySeconds: 0 });
  });

  it('refuses a policy whose delays are not whole seconds', async () => {
    const delay = createProgressiveDelay(createLimiterStore({ logger }), { keyPrefix: 'd' });
    await expect(delay.reserve('k', { ...policy, baseSeconds: 0.5 })).rejects.toThrow(
      'whole seconds',
    );
    await expect(delay.reserve('k', { ...policy, maxSeconds: 0 })).rejects.toThrow('whole seconds');
  });
});
