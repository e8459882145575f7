import { guard, type Guard } from '@hellojohn/http';
import type { Request, Response } from 'express';
import type { Budgets, Charge } from './budgets';

/**
 * Express middleware over {@link Budgets}: spends the charges `chargesOf` names for the request
 * (none: nothing to limit), sets `RateLimit-*` on the answer, and passes a 429 `rate_limited` or
 * a 503 `service_unavailable` on to the error handler. A guard (`guard()` of `@hellojohn/http`):
 * both codes are documented on every route it limits.
 *
 * @example
 * const limitSignIn = limitRequests(budgets, function signInCharges(req) {
 *   return [{ budget: 'ip', key: req.ip ?? 'unknown' }];
 * }, { detail: 'Too many sign-in attempts; try again later.' });
 * api.post('/v1/auth/sign-in', limitSignIn, signIn);
 */
export function limitRequests<B extends string>(
  budgets: Budgets<B>,
  chargesOf: (req: Request, res: Response) => ReadonlyArray<Charge<B>>,
  options: { detail?: string } = {},
): Guard {
  return guard(
    { errors: ['rate_limited', 'service_unavailable'] },
    async function rateLimit(req, res, next) {
      const headers = await budgets.enforce(chargesOf(req, res), options);
      for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
      next();
    },
  );
}
