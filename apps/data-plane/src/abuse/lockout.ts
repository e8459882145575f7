import { AppError, type Logger } from '@hellojohn/http';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { SignInGuard } from '../services/sign-in-guard';
import { digest } from './limit-subject';
import type { LimiterStore } from './limiter-store';
import { secondsFrom, storeCall } from './store-call';

/** The tenant's lockout policy (`lockout` in the tenant settings). */
export interface LockoutPolicy {
  maxFailures: number;
  windowSeconds: number;
}

// The counter's own ceiling is never reached: the tenant's `maxFailures` is compared here, so one
// limiter per window length serves every tenant.
const COUNTER_CEILING = 1_000_000;

/**
 * Account lockout: `maxFailures` failed sign-ins for one (tenant, email) within a fixed window
 * that starts at the first failure lock the account until that window ends (429 `account_locked`
 * with `Retry-After`). Unknown emails are counted exactly like known ones, so the answer never
 * tells whether an account exists; a successful sign-in clears the count. Fails closed like the
 * rate limits (503 when the store cannot answer).
 *
 * @example
 * const guard = createLockout({ store: limits.store, policyOf: async () => ({ maxFailures: 10, windowSeconds: 900 }), logger });
 * await guard.beforeAttempt(tenant.id, normalizeEmail(email), ip);
 */
export function createLockout(options: {
  store: LimiterStore;
  policyOf(tenantId: string): Promise<LockoutPolicy>;
  logger: Logger;
  keyPrefix?: string;
}): SignInGuard {
  const { store, logger } = options;
  const keyPrefix = `${options.keyPrefix ?? 'hj'}:lockout`;
  const counters = new Map<number, RateLimiterAbstract>();

  function counterFor(windowSeconds: number): RateLimiterAbstract {
    let counter = counters.get(windowSeconds);
    if (!counter) {
      counter = store.limiter(keyPrefix, COUNTER_CEILING, windowSeconds);
      counters.set(windowSeconds, counter);
    }
    return counter;
  }

  const keyOf = (tenantId: string, emailKey: string): string => `${tenantId}:${digest(emailKey)}`;

  return {
    async beforeAttempt(tenantId, emailKey) {
      const policy = await options.policyOf(tenantId);
      const failures = await storeCall(
        counterFor(policy.windowSeconds).get(keyOf(tenantId, emailKey)),
      );
      if (failures && failures.consumedPoints >= policy.maxFailures) {
        throw new AppError('account_locked', 'Too many failed sign-ins; try again later.', {
          headers: { 'Retry-After': String(secondsFrom(failures.msBeforeNext)) },
        });
      }
    },

    async onFailure(tenantId, emailKey, ip) {
      const policy = await options.policyOf(tenantId);
      const failures = await storeCall(
        counterFor(policy.windowSeconds).penalty(keyOf(tenantId, emailKey)),
      );
      if (failures.consumedPoints === policy.maxFailures) {
        // No email in the log: the key is enough to correlate, and addresses are personal data.
        logger.warn(
          { tenant_id: tenantId, account_key: digest(emailKey), ip },
          'account locked after repeated failed sign-ins',
        );
      }
    },

    async onSuccess(tenantId, emailKey) {
      const policy = await options.policyOf(tenantId);
      await storeCall(counterFor(policy.windowSeconds).delete(keyOf(tenantId, emailKey)));
    },
  };
}
