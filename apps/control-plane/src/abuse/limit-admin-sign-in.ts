import {
  createBudgets,
  digestKey,
  limitRequests,
  type BudgetRule,
  type Charge,
  type LimiterStore,
} from '@hellojohn/abuse';
import { normalizeEmail } from '@hellojohn/dal';
import type { Request, RequestHandler } from 'express';

/**
 * CP admin sign-in budgets. Operators sign in rarely, so these are tight. With `HJ_REDIS_URL` the
 * counters are shared by every control-plane replica; in memory each replica counts alone
 * (docs/operations.md).
 */
const ADMIN_SIGN_IN_LIMITS = {
  ip: { points: 20, durationSeconds: 60 },
  email: { points: 30, durationSeconds: 15 * 60 },
} as const satisfies Record<string, BudgetRule>;

type AdminSignInBudget = keyof typeof ADMIN_SIGN_IN_LIMITS;

function emailOf(req: Request): string | undefined {
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null) return undefined;
  const email = (body as Record<string, unknown>).email;
  return typeof email === 'string' && email.length > 0 ? email : undefined;
}

/**
 * 429 `rate_limited` with `Retry-After` once an IP or an admin email spends its budget; 503
 * `service_unavailable` when the store cannot answer (fail closed, as on the data plane). Emails
 * are normalised, then digested, so the store never holds an address. Keys are
 * `${keyPrefix}:cp:sign_in:{ip|email}:<subject>`.
 *
 * @example
 * const limitSignIn = limitAdminSignIn(createLimiterStore({ redisUrl: config.redisUrl, logger }));
 * api.post('/v1/auth/sign-in', limitSignIn, auth.signIn);
 */
export function limitAdminSignIn(
  store: LimiterStore,
  options: { keyPrefix?: string | undefined } = {},
): RequestHandler {
  const budgets = createBudgets(store, ADMIN_SIGN_IN_LIMITS, {
    keyPrefix: `${options.keyPrefix ?? 'hj'}:cp:sign_in`,
  });
  return limitRequests(
    budgets,
    function adminSignInCharges(req) {
      const charges: Array<Charge<AdminSignInBudget>> = [
        // Honours `trust proxy` (set by createServiceApp); a vanished socket still gets a budget.
        { budget: 'ip', key: req.ip ?? 'unknown' },
      ];
      const email = emailOf(req);
      if (email !== undefined)
        charges.push({ budget: 'email', key: digestKey(normalizeEmail(email)) });
      return charges;
    },
    { detail: 'Too many sign-in attempts; try again later.' },
  );
}
