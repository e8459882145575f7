import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { LimiterStore } from '../limiter-store';

// The counter's own ceiling is never reached: callers compare the count with their policy, so one
// limiter per window length serves every policy.
const COUNTER_CEILING = 1_000_000;

/**
 * Attempt counters (`rate-limiter-flexible` penalties), one limiter per window length, made on
 * first use; keys of every window length share the names `${keyPrefix}:${key}`.
 *
 * @example
 * const counterFor = createWindowCounters(store, 'hj:lockout');
 * const attempts = await storeCall(counterFor(900).penalty(key));
 */
export function createWindowCounters(
  store: LimiterStore,
  keyPrefix: string,
): (windowSeconds: number) => RateLimiterAbstract {
  const counters = new Map<number, RateLimiterAbstract>();
  return function counterFor(windowSeconds) {
    let counter = counters.get(windowSeconds);
    if (!counter) {
      counter = store.limiter(keyPrefix, COUNTER_CEILING, windowSeconds);
      counters.set(windowSeconds, counter);
    }
    return counter;
  };
}
