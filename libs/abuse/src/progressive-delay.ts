import { AppError } from '@hellojohn/http';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { createWindowCounters } from './internal/window-counters';
import type { LimiterStore } from './limiter-store';
import { secondsFrom, storeCall } from './store-call';

/** When delays start, how they grow, and how long failures are remembered. */
export interface DelayPolicy {
  /** Failed attempts allowed without any delay. */
  freeFailures: number;
  /** The first delay, in whole seconds; each further attempt doubles it. */
  baseSeconds: number;
  /** The longest delay, in whole seconds. */
  maxSeconds: number;
  /** The fixed window, from the first failure, in which failures are counted. */
  windowSeconds: number;
}

/** What a reservation found: the attempt's number in the window, and the wait it imposed. */
export interface DelayReservation {
  attempt: number;
  /** Seconds the next attempt of the key must wait; 0 within the free failures. */
  delaySeconds: number;
}

/** Progressive delay for one kind of key: guessing slowed down, never locked out. */
export interface ProgressiveDelay {
  /**
   * Reserves one attempt for `key` before the password is checked. Within the free failures it
   * passes; past them one attempt per delay passes (and sets the next, doubled, delay) and the
   * others get 429 `rate_limited` with `Retry-After`. A failed attempt needs nothing more; a
   * successful one calls {@link ProgressiveDelay.reset}. `events.delayed` runs once per window: in
   * the first attempt past the free failures (delays start), e.g. to log it.
   */
  reserve(
    key: string,
    policy: DelayPolicy,
    events?: { delayed?(): void },
  ): Promise<DelayReservation>;
  /** Forgets the failures and lifts the delay (after a success). */
  reset(key: string, policy: DelayPolicy): Promise<void>;
}

/** The wait after attempt `attempt`: `baseSeconds` doubling per attempt, at most `maxSeconds`. */
function delayAfter(attempt: number, policy: DelayPolicy): number {
  const doublings = attempt - policy.freeFailures - 1;
  return Math.min(policy.baseSeconds * 2 ** doublings, policy.maxSeconds);
}

function assertWholeSeconds(policy: DelayPolicy): void {
  const { baseSeconds, maxSeconds } = policy;
  // A fractional duration would reach Redis as `SET` without `EX`: a gate closed for good.
  if (![baseSeconds, maxSeconds].every((s) => Number.isInteger(s) && s >= 1)) {
    throw new Error(
      `delays must be whole seconds of at least 1 (base ${baseSeconds}, max ${maxSeconds})`,
    );
  }
}

/**
 * Progressive delay, the alternative to a hard lockout: the first `freeFailures` failed attempts
 * of a key are free; after that one attempt may pass, and it makes the next wait `baseSeconds`,
 * then twice that, and so on up to `maxSeconds`. Guessing is slowed to about one attempt per
 * `maxSeconds`, while the key's owner waits at most `maxSeconds` (not a lockout window) before the
 * right password gets through, which then clears everything.
 *
 * Two counters per key, both atomic in memory and in Redis: `${keyPrefix}:failures:<key>` (every
 * attempt is reserved before the password is checked, like the lockout counter, and only a
 * success clears it) and the gate `${keyPrefix}:gate:<key>` (one point per second, `block`ed for
 * the delay after each attempt it lets through). A parallel burst therefore gets at most one
 * attempt past the free failures. Attempts the gate refuses count too, so hammering reaches the
 * cap sooner. Policies may differ per call (per tenant). Fails closed like every call through
 * `storeCall` (503 when the store cannot answer).
 *
 * @example
 * const delay = createProgressiveDelay(store, { keyPrefix: 'hj:cp:sign_in:account' });
 * const policy = { freeFailures: 5, baseSeconds: 1, maxSeconds: 30, windowSeconds: 900 };
 * await delay.reserve(key, policy); // 429 rate_limited while the delay runs
 * if (await passwordMatches()) await delay.reset(key, policy);
 */
export function createProgressiveDelay(
  store: LimiterStore,
  options: { keyPrefix: string; detail?: string },
): ProgressiveDelay {
  const failuresFor = createWindowCounters(store, `${options.keyPrefix}:failures`);
  const gate = store.limiter(`${options.keyPrefix}:gate`, 1, 1);
  const detail = options.detail ?? 'Too many failed sign-ins; wait before trying again.';

  return {
    async reserve(key, policy, events) {
      assertWholeSeconds(policy);
      const failures = await storeCall(failuresFor(policy.windowSeconds).penalty(key));
      const attempt = failures.consumedPoints;
      if (attempt <= policy.freeFailures) return { attempt, delaySeconds: 0 };
      if (attempt === policy.freeFailures + 1) events?.delayed?.();
      try {
        await storeCall(gate.consume(key));
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) throw error;
        throw new AppError('rate_limited', detail, {
          headers: { 'Retry-After': String(secondsFrom(error.msBeforeNext)) },
        });
      }
      // The consume above holds the gate shut for a second; the block stretches it to the delay.
      const delaySeconds = delayAfter(attempt, policy);
      await storeCall(gate.block(key, delaySeconds));
      return { attempt, delaySeconds };
    },
    async reset(key, policy) {
      await Promise.all([
        storeCall(failuresFor(policy.windowSeconds).delete(key)),
        storeCall(gate.delete(key)),
      ]);
    },
  };
}
