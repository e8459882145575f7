import {
  createLockoutCounter,
  createProgressiveDelay,
  digestKey,
  type DelayPolicy,
  type LimiterStore,
  type LockoutPolicy,
} from '@hellojohn/abuse';

/**
 * The per-account limits of CP admin sign-in, on failures (a success clears them):
 *
 * - `pair`: failures from one client address for one admin email; past `maxFailures` that pair
 *   (only) gets 429 `rate_limited` until the window ends. Stops one address guessing.
 * - `account`: failures for one admin email from anywhere; past `freeFailures` a progressive
 *   delay (doubling from `baseSeconds` up to `maxSeconds`) instead of a lockout, so guessing from
 *   many addresses is slowed to about one attempt per `maxSeconds`, and the owner, from another
 *   address, waits at most `maxSeconds` for the right password to pass.
 *
 * The per-address budget (every attempt, 20 a minute) is `limitAdminSignIn`, before the route.
 */
export interface AdminSignInPolicy {
  pair: LockoutPolicy;
  account: DelayPolicy;
}

const ADMIN_SIGN_IN_POLICY: AdminSignInPolicy = {
  pair: { maxFailures: 10, windowSeconds: 15 * 60 },
  account: { freeFailures: 5, baseSeconds: 1, maxSeconds: 30, windowSeconds: 15 * 60 },
};

/** Overrides of {@link ADMIN_SIGN_IN_POLICY} (tests, or an operator's build). */
export interface AdminSignInPolicyOverrides {
  pair?: Partial<LockoutPolicy>;
  account?: Partial<DelayPolicy>;
}

/**
 * Around the password check of CP admin sign-in: `beforeAttempt` reserves the attempt (atomic
 * counts, so parallel attempts cannot all pass a count read before any of them failed) and throws
 * 429 `rate_limited` to refuse it; `onFailure` and `onSuccess` record the outcome. `emailKey` is
 * the normalised email; unknown emails count like admins' ones.
 */
export interface AdminSignInGuard {
  beforeAttempt(emailKey: string, ip: string): Promise<void>;
  onFailure(emailKey: string, ip: string): Promise<void>;
  onSuccess(emailKey: string, ip: string): Promise<void>;
}

/** The guard used when none is configured: allows everything, records nothing. */
export const noAdminSignInGuard: AdminSignInGuard = {
  beforeAttempt: () => Promise.resolve(),
  onFailure: () => Promise.resolve(),
  onSuccess: () => Promise.resolve(),
};

/**
 * The admin sign-in guard over `store` (Redis with `HJ_REDIS_URL`, shared by every replica; else
 * memory). Replaces issue 15's hard per-email budget (30 attempts per 15 minutes from anywhere
 * locked the admin out, and the bootstrap admin's email is guessable). Keys, emails only as
 * digests: `${keyPrefix}:cp:sign_in:pair:<address>:<digest>` and
 * `${keyPrefix}:cp:sign_in:account:{failures,gate}:<digest>`. Fails closed (503) like every
 * limit.
 *
 * @example
 * const guard = createAdminSignInGuard(store, { keyPrefix: 'hj' });
 * await guard.beforeAttempt(normalizeEmail(email), req.ip ?? 'unknown');
 */
export function createAdminSignInGuard(
  store: LimiterStore,
  options: { keyPrefix?: string | undefined; policy?: AdminSignInPolicyOverrides | undefined } = {},
): AdminSignInGuard {
  const prefix = `${options.keyPrefix ?? 'hj'}:cp:sign_in`;
  const policy: AdminSignInPolicy = {
    pair: { ...ADMIN_SIGN_IN_POLICY.pair, ...options.policy?.pair },
    account: { ...ADMIN_SIGN_IN_POLICY.account, ...options.policy?.account },
  };
  const pair = createLockoutCounter(store, {
    keyPrefix: `${prefix}:pair`,
    code: 'rate_limited',
    detail: 'Too many failed sign-ins from this address; try again later.',
  });
  const account = createProgressiveDelay(store, {
    keyPrefix: `${prefix}:account`,
    detail: 'Too many failed sign-ins for this account; wait before trying again.',
  });
  const pairKey = (emailKey: string, ip: string): string => `${ip}:${digestKey(emailKey)}`;

  return {
    async beforeAttempt(emailKey, ip) {
      // The pair first: an address past its failures is refused without touching the account,
      // so it cannot push the owner's delay up either.
      await pair.reserve(pairKey(emailKey, ip), policy.pair);
      try {
        await account.reserve(digestKey(emailKey), policy.account);
      } catch (error) {
        // No password was checked: the pair's reservation is not a failure (the owner retrying
        // during a delay must not run out of pair attempts).
        await pair.release(pairKey(emailKey, ip), policy.pair);
        throw error;
      }
    },

    // Both counts were raised when the attempt was reserved.
    onFailure: () => Promise.resolve(),

    async onSuccess(emailKey, ip) {
      // This address's pair and the account; other addresses' pairs stay counted.
      await Promise.all([
        pair.reset(pairKey(emailKey, ip), policy.pair),
        account.reset(digestKey(emailKey), policy.account),
      ]);
    },
  };
}
