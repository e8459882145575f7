import { AppError } from '@hellojohn/http';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { secondsFrom, storeCall } from './store-call';

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('storeCall', () => {
  it('passes an answer and a spent budget through', async () => {
    expect(await storeCall(Promise.resolve(7))).toBe(7);
    const spent = new RateLimiterRes(0, 1_000, 5);
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- rate-limiter-flexible rejects a spent budget with a RateLimiterRes, not an Error
    expect(await failureOf(storeCall(Promise.reject(spent)))).toBe(spent);
  });

  it('fails closed: a store error becomes 503 service_unavailable with Retry-After', async () => {
    const error = await failureOf(storeCall(Promise.reject(new Error('ECONNREFUSED'))));
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('service_unavailable');
    expect((error as AppError).status).toBe(503);
    expect((error as AppError).headers['Retry-After']).toBe('5');
  });

  it('fails closed when the store does not answer before the deadline', async () => {
    const started = Date.now();
    const error = await failureOf(storeCall(new Promise(() => undefined), 50));
    expect((error as AppError).code).toBe('service_unavailable');
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe('secondsFrom', () => {
  it('rounds up to whole seconds, at least 1', () => {
    expect(secondsFrom(0)).toBe(1);
    expect(secondsFrom(1)).toBe(1);
    expect(secondsFrom(1_001)).toBe(2);
    expect(secondsFrom(60_000)).toBe(60);
  });
});
