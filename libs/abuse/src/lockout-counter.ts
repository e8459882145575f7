import { AppError } from '@hellojohn/http';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { LimiterStore } from './limiter-store';
import { secondsFrom, storeCall } from './store-call';

/** How many failures within how long lock a key. */
export interface LockoutPolicy {
  maxFailures: number;
  windowSeconds: number;
}

/** Failure counting for one kind of key (an account, an admin email, ...). */
export interface LockoutCounter {
  /** Throws 429 `account_locked` with `Retry-After` while `key` has `maxFailures` failures. */
  check(key: string, policy: LockoutPolicy): Promise<void>;
  /** Counts one failure; resolves to the failures so far in the window. */
  fail(key: string, policy: LockoutPolicy): Promise<number>;
  /** Forgets the failures (after a success). */
  reset(key: string, policy: LockoutPolicy): Promise<void>;
}

// The counter's own ceiling is never reached: the policy's `maxFailures` is compared here, so one
// limiter per window length serves every policy.
const COUNTER_CEILING = 1_000_000;

/**
 * Lockout: `maxFailures` failures of one key within a fixed window that starts at the first
 * failure lock the key until that window ends. Policies may differ per call (per tenant), and keys
 * of every window length share the names `${keyPrefix}:${key}`. Fails closed like every call
 * through `storeCall` (503 when the store cannot answer).
 *
 * @example
 * const lockout = createLockoutCounter(store, { keyPrefix: 'hj:lockout' });
 * const policy = { maxFailures: 10, windowSeconds: 900 };
 * await lockout.check(key, policy);
 * if (!ok) await lockout.fail(key, policy);
 * else await lockout.reset(key, policy);
 */
export function createLockoutCounter(
  store: LimiterStore,
  options: { keyPrefix: string; detail?: string },
): LockoutCounter {
  const counters = new Map<number, RateLimiterAbstract>();

  function counterFor(windowSeconds: number): RateLimiterAbstract {
    let counter = counters.get(windowSeconds);
    if (!counter) {
      counter = store.limiter(options.keyPrefix, COUNTER_CEILING, windowSeconds);
      counters.set(windowSeconds, counter);
    }
    return counter;
  }

  return {
    async check(key, policy) {
      const failures = await storeCall(counterFor(policy.windowSeconds).get(key));
      if (failures && failures.consumedPoints >= policy.maxFailures) {
        throw new AppError(
          'account_locked',
          options.detail ?? 'Too many failed sign-ins; try again later.',
          { headers: { 'Retry-After': String(secondsFrom(failures.msBeforeNext)) } },
        );
      }
    },
    async fail(key, policy) {
      const failures = await storeCall(counterFor(policy.windowSeconds).penalty(key));
      return failures.consumedPoints;
    },
    async reset(key, policy) {
      await storeCall(counterFor(policy.windowSeconds).delete(key));
    },
  };
}
