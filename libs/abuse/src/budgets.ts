import { AppError } from '@hellojohn/http';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { LimiterStore } from './limiter-store';
import { memoryCall, secondsFrom, storeCall } from './store-call';

/** A fixed-window budget: `points` requests per `durationSeconds`. */
export interface BudgetRule {
  points: number;
  durationSeconds: number;
}

/** One point to spend: of budget `budget`, for the subject `key` (an address, a digest, ...). */
export interface Charge<B extends string> {
  budget: B;
  key: string;
}

/** What spending one charge found. */
export interface BudgetVerdict<B extends string> {
  budget: B;
  rule: BudgetRule;
  allowed: boolean;
  remainingPoints: number;
  msBeforeNext: number;
}

/** Named request budgets over one {@link LimiterStore}. */
export interface Budgets<B extends string> {
  readonly rules: Readonly<Record<B, BudgetRule>>;
  /**
   * Spends one point of every charge, in parallel (the worst case is one store deadline, not one
   * per charge). A spent budget is a verdict with `allowed: false`, not an error; a store that
   * cannot answer throws 503 `service_unavailable` (see `storeCall`).
   */
  spend(charges: ReadonlyArray<Charge<B>>): Promise<Array<BudgetVerdict<B>>>;
  /**
   * `spend`, then 429 `rate_limited` (with `Retry-After` and `RateLimit-*` of the budget that
   * frees last) when any charge was refused. Resolves to the `RateLimit-*` fields of the tightest
   * budget, to set on the answer; none when there were no charges.
   */
  enforce(
    charges: ReadonlyArray<Charge<B>>,
    options?: { detail?: string },
  ): Promise<Record<string, string>>;
}

/**
 * `RateLimit-*` fields as in draft-ietf-httpapi-ratelimit-headers (-06 naming, the one clients
 * and proxies read today).
 *
 * @example
 * for (const [name, value] of Object.entries(rateLimitHeaders(verdict))) res.setHeader(name, value);
 */
export function rateLimitHeaders(verdict: BudgetVerdict<string>): Record<string, string> {
  const { rule } = verdict;
  return {
    'RateLimit-Limit': String(rule.points),
    'RateLimit-Remaining': String(verdict.remainingPoints),
    'RateLimit-Reset': String(secondsFrom(verdict.msBeforeNext)),
    'RateLimit-Policy': `${rule.points};w=${rule.durationSeconds}`,
  };
}

/**
 * Named fixed-window budgets, each counted under `${keyPrefix}:${name}:${key}` in the store.
 * Fails closed like every call through `storeCall`.
 *
 * @example
 * const budgets = createBudgets(store, {
 *   ip: { points: 20, durationSeconds: 60 },
 *   email: { points: 30, durationSeconds: 900 },
 * }, { keyPrefix: 'cp:sign_in' });
 * await budgets.enforce([{ budget: 'ip', key: req.ip ?? 'unknown' }], {
 *   detail: 'Too many sign-in attempts; try again later.',
 * });
 */
export function createBudgets<B extends string>(
  store: LimiterStore,
  rules: Readonly<Record<B, BudgetRule>>,
  options: { keyPrefix: string },
): Budgets<B> {
  // Counters in this process's memory answer at once and cannot hang: no deadline timer to arm.
  const inMemory = store.kind === 'memory';
  const limiters = new Map<B, RateLimiterAbstract>();
  for (const name of Object.keys(rules) as B[]) {
    const rule = rules[name];
    limiters.set(
      name,
      store.limiter(`${options.keyPrefix}:${name}`, rule.points, rule.durationSeconds),
    );
  }

  async function spendOne({ budget, key }: Charge<B>): Promise<BudgetVerdict<B>> {
    const limiter = limiters.get(budget);
    if (!limiter) throw new Error(`unknown budget ${budget}`);
    const rule = rules[budget];
    let res: RateLimiterRes;
    let allowed = true;
    try {
      res = await (inMemory ? memoryCall(limiter.consume(key)) : storeCall(limiter.consume(key)));
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      res = error;
      allowed = false;
    }
    return {
      budget,
      rule,
      allowed,
      remainingPoints: res.remainingPoints,
      msBeforeNext: res.msBeforeNext,
    };
  }

  const spend: Budgets<B>['spend'] = (charges) => Promise.all(charges.map(spendOne));

  return {
    rules,
    spend,
    async enforce(charges, enforceOptions = {}) {
      const verdicts = await spend(charges);
      const refused = verdicts.filter((verdict) => !verdict.allowed);
      if (refused.length > 0) {
        const longest = refused.reduce((a, b) => (a.msBeforeNext >= b.msBeforeNext ? a : b));
        throw new AppError(
          'rate_limited',
          enforceOptions.detail ?? 'Too many requests; try again later.',
          {
            headers: {
              ...rateLimitHeaders(longest),
              'Retry-After': String(secondsFrom(longest.msBeforeNext)),
            },
          },
        );
      }
      const tightest = verdicts.reduce<BudgetVerdict<B> | undefined>(
        (a, b) => (a && a.remainingPoints <= b.remainingPoints ? a : b),
        undefined,
      );
      return tightest ? rateLimitHeaders(tightest) : {};
    },
  };
}
