import { createHash } from 'node:crypto';
import { AppError } from '@hellojohn/http';
import type { RequestHandler } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { normalizeEmail } from '@hellojohn/dal';

/**
 * CP admin sign-in budgets. Operators sign in rarely, so these are tight. Counted in this
 * process's memory: with N control-plane replicas an attacker gets N times the budget, which
 * still caps online guessing far below bcrypt's own rate (docs/operations.md).
 */
const PER_IP = { points: 20, duration: 60 };
const PER_EMAIL = { points: 30, duration: 15 * 60 };

function emailKey(body: unknown): string | undefined {
  const email = (body as { email?: unknown } | undefined)?.email;
  if (typeof email !== 'string') return undefined;
  return createHash('sha256').update(normalizeEmail(email)).digest('base64url');
}

/** 429 `rate_limited` with `Retry-After` once an IP or an admin email spends its budget. */
export function limitAdminSignIn(): RequestHandler {
  const perIp = new RateLimiterMemory({ keyPrefix: 'cp_sign_in_ip', ...PER_IP });
  const perEmail = new RateLimiterMemory({ keyPrefix: 'cp_sign_in_email', ...PER_EMAIL });
  return async function limitSignInAttempts(req, _res, next) {
    const email = emailKey(req.body);
    try {
      await perIp.consume(req.ip ?? 'unknown');
      if (email) await perEmail.consume(email);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      throw new AppError('rate_limited', 'Too many sign-in attempts; try again later.', {
        headers: { 'Retry-After': String(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000))) },
      });
    }
    next();
  };
}
