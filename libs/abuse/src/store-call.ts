import { AppError } from '@hellojohn/http';
import { RateLimiterRes } from 'rate-limiter-flexible';

/** Longest a limit decision may wait on its store before the request is refused (503). */
export const STORE_CALL_TIMEOUT_MS = 500;

/** Seconds a client should wait after a 503 from an unavailable limiter store. */
const UNAVAILABLE_RETRY_AFTER = '5';

/**
 * Runs one limiter operation with a deadline. A store failure or a missed deadline becomes 503
 * `service_unavailable` (fail closed: a request is never let through unlimited); a
 * `RateLimiterRes` rejection (the budget is spent) is passed on for the caller to answer.
 *
 * @example
 * const counted = await storeCall(store.limiter('hj:lockout', 1_000_000, 900).get(key));
 */
export async function storeCall<T>(
  operation: Promise<T>,
  timeoutMs: number = STORE_CALL_TIMEOUT_MS,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`rate-limit store gave no answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([operation, deadline]);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw error;
    throw new AppError('service_unavailable', 'Rate limiting is unavailable; try again shortly.', {
      cause: error,
      headers: { 'Retry-After': UNAVAILABLE_RETRY_AFTER },
    });
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `storeCall` for counters in this process's memory: they answer within the same tick and cannot
 * hang, so no deadline timer is armed (one per charge was a measurable share of a rate-limited
 * request); any failure other than a spent budget is still a 503, never a pass.
 *
 * @example
 * const res = await memoryCall(memoryLimiter.consume(key));
 */
export async function memoryCall<T>(operation: Promise<T>): Promise<T> {
  try {
    return await operation;
  } catch (error) {
    if (error instanceof RateLimiterRes) throw error;
    throw new AppError('service_unavailable', 'Rate limiting is unavailable; try again shortly.', {
      cause: error,
      headers: { 'Retry-After': UNAVAILABLE_RETRY_AFTER },
    });
  }
}

/**
 * Whole seconds until `ms` have passed, at least 1 (RFC 9110 §10.2.3 `Retry-After`).
 *
 * @example
 * res.setHeader('Retry-After', String(secondsFrom(rejection.msBeforeNext)));
 */
export function secondsFrom(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
