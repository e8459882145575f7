import {
  createApiRouter,
  createLogger,
  createMetrics,
  createServiceApp,
  endpoint,
  guard,
} from '@hellojohn/http';
import type { Express } from 'express';
import { z } from 'zod';
import type { RateLimits } from '../../src/abuse/rate-limits';

export const silentLogger = createLogger({ name: 'abuse-test', level: 'silent' });

/** Stands in for resolveTenant: the tenant is whatever X-Tenant-ID says. */
const fakeTenant = guard({ errors: [] }, function fakeTenant(req, res, next) {
  res.locals.tenant = { config: { id: req.get('x-tenant-id') ?? 'tenant-a' } };
  next();
});

const ok = endpoint(
  {
    summary: 'ok',
    body: z.object({}).loose(),
    response: z.object({ ok: z.boolean() }),
  },
  async function answerOk() {
    return { ok: true };
  },
);

/** A service app with the data plane's conventions and the real limit middleware. */
export function limitedApp(limits: RateLimits): Express {
  const { limit } = limits;
  const api = createApiRouter()
    .post('/v1/auth/sign-in', fakeTenant, limit('sign_in_ip', 'sign_in_account'), ok)
    .post('/v1/auth/sign-up', fakeTenant, limit('sign_up_ip', 'sign_up_account'), ok)
    .post('/v1/auth/refresh', fakeTenant, limit('refresh_ip', 'refresh_token'), ok);
  return createServiceApp({
    logger: silentLogger,
    metrics: createMetrics('abuse_test'),
    readiness: {},
    openapi: { title: 'abuse test', version: '1' },
    apis: [api],
  });
}
