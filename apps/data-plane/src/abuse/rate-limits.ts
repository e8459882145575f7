import {
  createBudgets,
  createLimiterStore,
  limitRequests,
  type BudgetRule,
  type Charge,
  type LimiterStore,
} from '@hellojohn/abuse';
import type { Guard, Logger } from '@hellojohn/http';
import { tenantOf } from '../tenancy/tenant-context';
import { subjectOf } from './limit-subject';
import { LIMITS, type LimitKind, type LimitOverrides } from './limit-table';

export interface RateLimits {
  /**
   * A guard for the route table, after `resolveTenant`: spends one point of each named budget;
   * 429 `rate_limited` when one is spent, 503 `service_unavailable` when the store cannot answer.
   */
  readonly limit: (...kinds: LimitKind[]) => Guard;
  /** The counters' store, shared with the lockout. */
  readonly store: LimiterStore;
  /** For `/readyz`. */
  status(): { store: 'redis' | 'memory'; connected: boolean };
  close(): Promise<void>;
}

/**
 * Request budgets per tenant (see `LIMITS`), in Redis when `redisUrl` is set and in memory
 * otherwise. Fails closed: if Redis is down or slow the limited routes answer 503 within
 * `STORE_CALL_TIMEOUT_MS`, never hang and never pass unlimited.
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
  const store = createLimiterStore({
    redisUrl: options.redisUrl,
    logger: options.logger,
    connectionName: 'hellojohn-data-plane-limits',
  });
  const rules = {} as Record<LimitKind, BudgetRule>;
  for (const kind of Object.keys(LIMITS) as LimitKind[]) {
    const { points, durationSeconds } = LIMITS[kind];
    rules[kind] = { points, durationSeconds, ...options.overrides?.[kind] };
  }
  const budgets = createBudgets(store, rules, { keyPrefix: `${options.keyPrefix ?? 'hj'}:rl` });

  return {
    store,
    limit(...kinds) {
      return limitRequests(budgets, function chargesOfRequest(req, res) {
        // Every key starts with the tenant id: one tenant's traffic never spends another's.
        const tenantId = tenantOf(res).config.id;
        const charges: Array<Charge<LimitKind>> = [];
        for (const kind of kinds) {
          const subject = subjectOf(LIMITS[kind].subject, req, res);
          if (subject !== undefined) charges.push({ budget: kind, key: `${tenantId}:${subject}` });
        }
        return charges;
      });
    },
    status: () => ({ store: store.kind, connected: store.connected() }),
    close: () => store.close(),
  };
}
