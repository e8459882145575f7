import type { EventsLogger, SubscriptionSpec } from '../bus';

const DEFAULT_PREFETCH = 10;
const DEFAULT_MAX_ATTEMPTS = 5;
const DEFAULT_RETRY_DELAY_MS = 1000;
const MAX_RETRY_DELAY_MS = 60_000;

/** A subscription spec with its defaults filled in and its numbers checked. */
export interface ResolvedSpec extends Required<Omit<SubscriptionSpec, 'onDeadLetter'>> {
  onDeadLetter: SubscriptionSpec['onDeadLetter'];
}

export function resolveSpec(spec: SubscriptionSpec): ResolvedSpec {
  const resolved: ResolvedSpec = {
    name: spec.name,
    routingKeys: [...spec.routingKeys],
    mode: spec.mode,
    prefetch: spec.prefetch ?? DEFAULT_PREFETCH,
    maxAttempts: spec.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    retryDelayMs: spec.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS,
    onDeadLetter: spec.onDeadLetter,
  };
  if (resolved.name.length === 0) throw new TypeError('subscription name must not be empty');
  if (resolved.routingKeys.length === 0) throw new TypeError('routingKeys must not be empty');
  if (!Number.isInteger(resolved.prefetch) || resolved.prefetch < 1) {
    throw new TypeError('prefetch must be a positive integer');
  }
  if (!Number.isInteger(resolved.maxAttempts) || resolved.maxAttempts < 1) {
    throw new TypeError('maxAttempts must be a positive integer');
  }
  if (!Number.isFinite(resolved.retryDelayMs) || resolved.retryDelayMs < 0) {
    throw new TypeError('retryDelayMs must be a non-negative number');
  }
  return resolved;
}

/** Delay before delivery `attempt + 1`, after `attempt` failed: exponential, capped at 60 s. */
export function retryDelay(attempt: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempt - 1), MAX_RETRY_DELAY_MS);
}

export const silentLogger: EventsLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
