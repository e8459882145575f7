import { AppError } from '@hellojohn/http';
import { createWindowCounters } from './internal/window-counters';
import type { LimiterStore } from './limiter-store';
import { secondsFrom, storeCall } from './store-call';

/** How many failures within how long lock a key. */
export interface LockoutPolicy {
  maxFailures: number;
  windowSeconds: number;
}

/** Failure counting for one kind of key (an account, an admin email, an address and account). */
export interface LockoutCounter {
  /**
   * Reserves one attempt for `key` before the password is checked: a single atomic increment
   * (in memory and in Redis), so parallel attempts each get their own number and at most
   * `maxFailures` of them pass. Past `maxFailures`, throws 429 (`account_locked` unless the
   * counter was made with another code) with `Retry-After` until the window ends; otherwise
   * resolves to the attempt's number in the window. A failed attempt needs nothing more (it is
   * already counted); a successful one calls {@link LockoutCounter.reset}. `events.locked` runs
   * once per window: in the first attempt refused (the key just locked), e.g. to log it.
   */
  reserve(key: string, policy: LockoutPolicy, events?: { locked?(): void }): Promise<number>;
  /**
   * Gives back one reservation whose password was never checked (a later limit refused the
   * attempt), so it does not count as a failure.
   */
  release(key: string, policy: LockoutPolicy): Promise<void>;
  /** Forgets the attempts (after a success). */
  reset(key: string, policy: LockoutPolicy): Promise<void>;
}

/**
 * Lockout: attempts of one key within a fixed window that starts at the first one; once
 * `maxFailures` attempts have failed, the key is locked until that window ends. Every attempt is
 * reserved (counted) before its password is checked and only a success clears the count, so the
 * count is the failures so far plus the attempts in flight: sequentially the lock comes after
 * `maxFailures` failures, and a parallel burst cannot slip more than `maxFailures` guesses past
 * the check (issue 15: a check-then-count lockout let a whole burst through). Refused attempts are
 * counted too, but never move the window's end. Policies may differ per call (per tenant). Fails
 * closed like every call through `storeCall` (503 when the store cannot answer).
 *
 * @example
 * const lockout = createLockoutCounter(store, { keyPrefix: 'hj:lockout' });
 * const policy = { maxFailures: 10, windowSeconds: 900 };
 * await lockout.reserve(key, policy); // 429 account_locked past maxFailures
 * if (await passwordMatches()) await lockout.reset(key, policy);
 */
export function createLockoutCounter(
  store: LimiterStore,
  options: {
    keyPrefix: string;
    /** The 429's code: `account_locked` by default. */
    code?: 'account_locked' | 'rate_limited';
    detail?: string;
  },
): LockoutCounter {
  const counterFor = createWindowCounters(store, options.keyPrefix);

  return {
    async reserve(key, policy, events) {
      const attempts = await storeCall(counterFor(policy.windowSeconds).penalty(key));
      if (attempts.consumedPoints > policy.maxFailures) {
        if (attempts.consumedPoints === policy.maxFailures + 1) events?.locked?.();
        throw new AppError(
          options.code ?? 'account_locked',
          options.detail ?? 'Too many failed sign-ins; try again later.',
          { headers: { 'Retry-After': String(secondsFrom(attempts.msBeforeNext)) } },
        );
      }
      return attempts.consumedPoints;
    },
    async release(key, policy) {
      await storeCall(counterFor(policy.windowSeconds).reward(key));
    },
    async reset(key, policy) {
      await storeCall(counterFor(policy.windowSeconds).delete(key));
    },
  };
}
