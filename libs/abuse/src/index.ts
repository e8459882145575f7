/**
 * Rate limits, lockout and progressive delay for the HelloJohn services: fixed-window counters
 * over `rate-limiter-flexible`, in Redis (shared by every replica) or in memory, failing closed
 * (503 `service_unavailable`) when the store cannot answer in time.
 */
export { createLimiterStore } from './limiter-store';
export type { LimiterStore } from './limiter-store';
export { storeCall, secondsFrom, STORE_CALL_TIMEOUT_MS } from './store-call';
export { createBudgets, rateLimitHeaders } from './budgets';
export type { Budgets, BudgetRule, BudgetVerdict, Charge } from './budgets';
export { limitRequests } from './limit-requests';
export { createLockoutCounter } from './lockout-counter';
export type { LockoutCounter, LockoutPolicy } from './lockout-counter';
export { createProgressiveDelay } from './progressive-delay';
export type { DelayPolicy, DelayReservation, ProgressiveDelay } from './progressive-delay';
export { digestKey } from './digest-key';
