import { createBudgets, limitRequests, type BudgetRule, type LimiterStore } from '@hellojohn/abuse';
import type { Guard } from '@hellojohn/http';

/**
 * The CP admin sign-in budget per client address, spent by every attempt. Operators sign in
 * rarely, so it is tight. With `HJ_REDIS_URL` the counter is shared by every control-plane
 * replica; in memory each replica counts alone (docs/operations.md). The per-account limits,
 * which need the outcome, are the `AdminSignInGuard` the auth service calls.
 */
const ADMIN_SIGN_IN_IP_LIMIT: BudgetRule = { points: 20, durationSeconds: 60 };

/**
 * 429 `rate_limited` with `Retry-After` once an address spends its budget; 503
 * `service_unavailable` when the store cannot answer (fail closed, as on the data plane). Keys are
 * `${keyPrefix}:cp:sign_in:ip:<address>`.
 *
 * @example
 * const limitSignIn = limitAdminSignIn(createLimiterStore({ redisUrl: config.redisUrl, logger }));
 * api.post('/v1/auth/sign-in', limitSignIn, auth.signIn);
 */
export function limitAdminSignIn(
  store: LimiterStore,
  options: { keyPrefix?: string | undefined; ip?: BudgetRule | undefined } = {},
): Guard {
  const budgets = createBudgets(
    store,
    { ip: options.ip ?? ADMIN_SIGN_IN_IP_LIMIT },
    { keyPrefix: `${options.keyPrefix ?? 'hj'}:cp:sign_in` },
  );
  return limitRequests(
    budgets,
    // Honours `trust proxy` (set by createServiceApp); a vanished socket still gets a budget.
    (req) => [{ budget: 'ip', key: req.ip ?? 'unknown' }],
    { detail: 'Too many sign-in attempts; try again later.' },
  );
}
