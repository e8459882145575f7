import {
  createLockoutCounter,
  digestKey,
  type LimiterStore,
  type LockoutPolicy,
} from '@hellojohn/abuse';
import type { Logger } from '@hellojohn/http';
import type { SignInGuard } from './sign-in-guard';

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
  const { logger } = options;
  const counter = createLockoutCounter(options.store, {
    keyPrefix: `${options.keyPrefix ?? 'hj'}:lockout`,
    detail: 'Too many failed sign-ins; try again later.',
  });

  const keyOf = (tenantId: string, emailKey: string): string =>
    `${tenantId}:${digestKey(emailKey)}`;

  return {
    async beforeAttempt(tenantId, emailKey) {
      const policy = await options.policyOf(tenantId);
      await counter.check(keyOf(tenantId, emailKey), policy);
    },

    async onFailure(tenantId, emailKey, ip) {
      const policy = await options.policyOf(tenantId);
      const failures = await counter.fail(keyOf(tenantId, emailKey), policy);
      if (failures === policy.maxFailures) {
        // No email in the log: the key is enough to correlate, and addresses are personal data.
        logger.warn(
          { tenant_id: tenantId, account_key: digestKey(emailKey), ip },
          'account locked after repeated failed sign-ins',
        );
      }
    },

    async onSuccess(tenantId, emailKey) {
      const policy = await options.policyOf(tenantId);
      await counter.reset(keyOf(tenantId, emailKey), policy);
    },
  };
}
