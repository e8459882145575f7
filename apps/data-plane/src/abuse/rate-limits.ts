import { AppError, type Logger } from '@hellojohn/http';
import type { RequestHandler, Response } from 'express';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { tenantOf } from '../tenancy/tenant-context';
import { LIMITS, type LimitKind, type LimitOverrides, type LimitRule } from './limit-table';
import { subjectOf } from './limit-subject';
import { createLimiterStore, type LimiterStore } from './limiter-store';
import { secondsFrom, storeCall } from './store-call';

export interface RateLimits {
  /**
   * Express middleware for the route table, after `resolveTenant`: spends one point of each
   * named budget; 429 `rate_limited` when one is spent, 503 when the store cannot answer.
   */
  readonly limit: (...kinds: LimitKind[]) => RequestHandler;
  /** The counters' store, shared with the lockout. */
  readonly store: LimiterStore;
  /** For `/readyz`. */
  status(): { store: 'redis' | 'memory'; connected: boolean };
  close(): Promise<void>;
}

interface Verdict {
  rule: LimitRule;
  res: RateLimiterRes;
  allowed: boolean;
}

/**
 * `RateLimit-*` fields as in draft-ietf-httpapi-ratelimit-headers (-06 naming, the one clients
 * and proxies read today).
 */
function setRateLimitHeaders(res: Response, { rule, res: counter }: Verdict): void {
  res.setHeader('RateLimit-Limit', String(rule.points));
  res.setHeader('RateLimit-Remaining', String(counter.remainingPoints));
  res.setHeader('RateLimit-Reset', String(secondsFrom(counter.msBeforeNext)));
  res.setHeader('RateLimit-Policy', `${rule.points};w=${rule.durationSeconds}`);
}

/**
 * Request budgets per tenant (see `LIMITS`), in Redis when `redisUrl` is set and in memory
 * otherwise. Fails closed: if Redis is down or slow the limited routes answer 503 within
 * `REDIS_CALL_TIMEOUT_MS`, never hang and never pass unlimited.
 *
 * @example
 * const limits = createRateLimits({ redisUrl: config.redisUrl, logger });
 * api.post('/v1/auth/sign-in', limits.limit('sign_in_ip', 'sign_in_account'), auth.signIn);
 */
export function createRateLimits(options: {
  redisUrl?: string | undefined;
  logger: Logger;
  /** Namespace of every key; tests use a random one. */
  keyPrefix?: string;
  overrides?: LimitOverrides;
}): RateLimits {
  const store = createLimiterStore({ redisUrl: options.redisUrl, logger: options.logger });
  const keyPrefix = options.keyPrefix ?? 'hj';
  const rules = new Map<LimitKind, LimitRule>();
  const limiters = new Map<LimitKind, RateLimiterAbstract>();
  for (const kind of Object.keys(LIMITS) as LimitKind[]) {
    const rule: LimitRule = { ...LIMITS[kind], ...options.overrides?.[kind] };
    rules.set(kind, rule);
    limiters.set(kind, store.limiter(`${keyPrefix}:rl:${kind}`, rule.points, rule.durationSeconds));
  }

  async function spend(kind: LimitKind, key: string): Promise<Verdict> {
    const rule = rules.get(kind);
    const limiter = limiters.get(kind);
    if (!rule || !limiter) throw new Error(`unknown rate limit ${kind}`);
    try {
      return { rule, res: await storeCall(limiter.consume(key)), allowed: true };
    } catch (error) {
      if (error instanceof RateLimiterRes) return { rule, res: error, allowed: false };
      throw error;
    }
  }

  return {
    store,
    limit(...kinds) {
      return async function rateLimit(req, res, next) {
        const tenantId = tenantOf(res).config.id;
        const pending: Promise<Verdict>[] = [];
        for (const kind of kinds) {
          const subject = subjectOf(LIMITS[kind].subject, req);
          if (subject !== undefined) pending.push(spend(kind, `${tenantId}:${subject}`));
        }
        // In parallel, so the worst case is one store deadline, not one per budget.
        const verdicts = await Promise.all(pending);
        const refused = verdicts.filter((verdict) => !verdict.allowed);
        if (refused.length > 0) {
          const longest = refused.reduce((a, b) =>
            a.res.msBeforeNext >= b.res.msBeforeNext ? a : b,
          );
          setRateLimitHeaders(res, longest);
          throw new AppError('rate_limited', 'Too many requests; try again later.', {
            headers: { 'Retry-After': String(secondsFrom(longest.res.msBeforeNext)) },
          });
        }
        const tightest = verdicts.reduce<Verdict | undefined>(
          (a, b) => (a && a.res.remainingPoints <= b.res.remainingPoints ? a : b),
          undefined,
        );
        if (tightest) setRateLimitHeaders(res, tightest);
        next();
      };
    },
    status: () => ({ store: store.kind, connected: store.connected() }),
    close: () => store.close(),
  };
}
