import {
  createLockoutCounter,
  createProgressiveDelay,
  digestKey,
  type DelayPolicy,
  type LimiterStore,
} from '@hellojohn/abuse';
import type { Logger } from '@hellojohn/http';
import type { AccountPolicy } from './lockout-policy';
import type { SignInGuard } from './sign-in-guard';

/** In delay mode, the first wait after the free failures; it doubles up to the tenant's cap. */
const DELAY_BASE_SECONDS = 1;

const delayPolicyOf = (policy: AccountPolicy): DelayPolicy => ({
  freeFailures: policy.maxFailures,
  baseSeconds: DELAY_BASE_SECONDS,
  maxSeconds: policy.delayMaxSeconds,
  windowSeconds: policy.windowSeconds,
});

/**
 * Failed sign-ins per (tenant, email), in the tenant's mode (`lockout.mode`):
 *
 * - `lockout` (default): after `maxFailures` failures within a fixed window that starts at the
 *   first one, the account is locked until that window ends (429 `account_locked` with
 *   `Retry-After`), whatever the password.
 * - `delay`: the first `maxFailures` failures are free; after that one attempt may pass, and each
 *   makes the next wait twice as long, from 1 s up to `delayMaxSeconds` (429 `rate_limited` with
 *   `Retry-After` meanwhile). The owner waits at most the cap, never a whole window.
 *
 * Every attempt is reserved in `beforeAttempt`, before the password is checked (one atomic
 * increment), so a parallel burst cannot slip more guesses past the count than the mode allows
 * (issue 15); `onFailure` has nothing to add, and `onSuccess` clears the count. Unknown emails are
 * counted exactly like known ones, so the answer never tells whether an account exists. Fails
 * closed like the rate limits (503 when the store cannot answer). Keys:
 * `<prefix>:lockout:<tenant>:<digest>` and `<prefix>:delay:{failures,gate}:<tenant>:<digest>`.
 *
 * @example
 * const guard = createLockout({ store: limits.store, policyOf, logger });
 * await guard.beforeAttempt(tenant.id, normalizeEmail(email), ip);
 */
export function createLockout(options: {
  store: LimiterStore;
  policyOf(tenantId: string): Promise<AccountPolicy>;
  logger: Logger;
  keyPrefix?: string;
}): SignInGuard {
  const { logger } = options;
  const prefix = options.keyPrefix ?? 'hj';
  const lockout = createLockoutCounter(options.store, {
    keyPrefix: `${prefix}:lockout`,
    detail: 'Too many failed sign-ins; try again later.',
  });
  const delay = createProgressiveDelay(options.store, {
    keyPrefix: `${prefix}:delay`,
    detail: 'Too many failed sign-ins; wait before trying again.',
  });

  const keyOf = (tenantId: string, emailKey: string): string =>
    `${tenantId}:${digestKey(emailKey)}`;

  return {
    async beforeAttempt(tenantId, emailKey, ip) {
      const policy = await options.policyOf(tenantId);
      const key = keyOf(tenantId, emailKey);
      // Once per window. No email in the log: the key is enough to correlate, and addresses are
      // personal data.
      const warn = (message: string) => () => {
        logger.warn({ tenant_id: tenantId, account_key: digestKey(emailKey), ip }, message);
      };
      if (policy.mode === 'delay') {
        await delay.reserve(key, delayPolicyOf(policy), {
          delayed: warn('sign-in delays started after repeated failed sign-ins'),
        });
      } else {
        await lockout.reserve(key, policy, {
          locked: warn('account locked after repeated failed sign-ins'),
        });
      }
    },

    // The attempt was counted when it was reserved.
    onFailure: () => Promise.resolve(),

    async onSuccess(tenantId, emailKey) {
      const policy = await options.policyOf(tenantId);
      const key = keyOf(tenantId, emailKey);
      // Both modes' counts, so a tenant that switched modes leaves no stale lock behind.
      await Promise.all([lockout.reset(key, policy), delay.reset(key, delayPolicyOf(policy))]);
    },
  };
}
