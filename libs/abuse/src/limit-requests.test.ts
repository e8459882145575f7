import { createHash } from 'node:crypto';
import { AppError, createLogger } from '@hellojohn/http';
import type { NextFunction, Request, Response } from 'express';
import { createBudgets } from './budgets';
import { createLimiterStore } from './limiter-store';
import { limitRequests } from './limit-requests';

const logger = createLogger({ name: 'abuse-test', level: 'silent' });

/** Just enough of Express for the middleware: `ip`, `body`, `setHeader`. */
function call(
  handler: ReturnType<typeof limitRequests>,
  req: { ip: string; body?: unknown },
): Promise<{ headers: Record<string, string>; error?: AppError }> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader(name: string, value: string) {
      headers[name] = value;
    },
  } as unknown as Response;
  return new Promise((resolve, reject) => {
    const next: NextFunction = () => {
      resolve({ headers });
    };
    Promise.resolve(handler(req as unknown as Request, res, next)).catch((error: unknown) => {
      if (error instanceof AppError) resolve({ headers, error });
      else reject(error instanceof Error ? error : new Error(String(error)));
    });
  });
}

describe('limitRequests', () => {
  // The control plane's admin sign-in limiter (apps/control-plane/src/abuse/), expressed with
  // this library: per-IP and per-email budgets, 429 with Retry-After.
  const budgets = createBudgets(
    createLimiterStore({ logger }),
    { ip: { points: 20, durationSeconds: 60 }, email: { points: 30, durationSeconds: 900 } },
    { keyPrefix: 'cp:sign_in' },
  );
  const limitAdminSignIn = limitRequests(
    budgets,
    function adminSignInCharges(req) {
      const email = (req.body as { email?: unknown } | undefined)?.email;
      return [
        { budget: 'ip' as const, key: req.ip ?? 'unknown' },
        ...(typeof email === 'string'
          ? [
              {
                budget: 'email' as const,
                key: createHash('sha256').update(email.trim().toLowerCase()).digest('base64url'),
              },
            ]
          : []),
      ];
    },
    { detail: 'Too many sign-in attempts; try again later.' },
  );

  it('lets requests through with RateLimit-* until a budget is spent, then 429', async () => {
    for (let i = 0; i < 20; i++) {
      const { headers, error } = await call(limitAdminSignIn, {
        ip: '10.1.1.1',
        body: { email: `admin${i}@example.com` },
      });
      expect(error).toBeUndefined();
      expect(headers['RateLimit-Remaining']).toBe(String(19 - i));
    }
    const { error } = await call(limitAdminSignIn, {
      ip: '10.1.1.1',
      body: { email: 'late@example.com' },
    });
    expect(error?.code).toBe('rate_limited');
    expect(error?.detail).toBe('Too many sign-in attempts; try again later.');
    expect(Number(error?.headers['Retry-After'])).toBeGreaterThanOrEqual(1);
  });

  it('counts one email across addresses', async () => {
    for (let i = 0; i < 30; i++) {
      const { error } = await call(limitAdminSignIn, {
        ip: `10.2.0.${i}`,
        body: { email: 'Owner@example.com' },
      });
      expect(error).toBeUndefined();
    }
    const { error } = await call(limitAdminSignIn, {
      ip: '10.2.1.1',
      body: { email: 'owner@example.com ' },
    });
    expect(error?.code).toBe('rate_limited');
  });
});
