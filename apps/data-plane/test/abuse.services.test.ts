import { randomUUID } from 'node:crypto';
import { AppError } from '@hellojohn/http';
import { Redis } from 'ioredis';
import request from 'supertest';
import { createLockout } from '../src/abuse/lockout';
import { createRateLimits, type RateLimits } from '../src/abuse/rate-limits';
import { limitedApp, silentLogger } from './support/abuse-app';
import { startAbuseDataPlane, type AbuseDataPlane } from './support/abuse-data-plane';
import {
  freePort,
  startRedisServer,
  waitFor,
  type RedisServer,
} from './support/abuse-redis-server';

const REDIS_URL = process.env.HJ_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PASSWORD = 'violet-harbour-lantern-47';

interface Problem {
  code: string;
}

const codeOf = (res: request.Response) => (res.body as Problem).code;

describe('rate limits and lockout on the shared Redis', () => {
  const prefix = `hjtest-${randomUUID()}`;
  const admin = new Redis(REDIS_URL, { lazyConnect: true });
  let limits: RateLimits;

  beforeAll(async () => {
    await admin.connect();
    limits = createRateLimits({ redisUrl: REDIS_URL, logger: silentLogger, keyPrefix: prefix });
    await waitFor(() => limits.status().connected, 'the limiter to connect');
  });

  afterAll(async () => {
    await limits.close();
    const keys = await admin.keys(`${prefix}:*`);
    if (keys.length > 0) await admin.del(...keys);
    expect(await admin.keys(`${prefix}:*`)).toEqual([]);
    await admin.quit();
  });

  const signIn = (app: ReturnType<typeof limitedApp>, email: string, tenant: string) =>
    request(app).post('/v1/auth/sign-in').set('X-Tenant-ID', tenant).send({ email });

  it('answers the 21st sign-in from one address with 429 and Retry-After, per tenant', async () => {
    const app = limitedApp(limits);
    for (let i = 0; i < 20; i++)
      expect((await signIn(app, `u${i}@example.com`, 'ta')).status).toBe(200);
    const refused = await signIn(app, 'late@example.com', 'ta');
    expect(refused.status).toBe(429);
    expect(codeOf(refused)).toBe('rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect((await signIn(app, 'late@example.com', 'tb')).status).toBe(200);
    // The counters really are in Redis, under this test's prefix, and hold no email address.
    const keys = await admin.keys(`${prefix}:rl:*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.join(' ')).not.toContain('@');
  });

  it('locks an account at the configured count and clears it on success', async () => {
    const guard = createLockout({
      store: limits.store,
      policyOf: async () => ({ maxFailures: 3, windowSeconds: 60 }),
      logger: silentLogger,
      keyPrefix: prefix,
    });
    const locked = async (email: string) => {
      try {
        await guard.beforeAttempt('t', email, '127.0.0.1');
        return undefined;
      } catch (error) {
        if (error instanceof AppError) return error;
        throw error;
      }
    };
    for (let i = 0; i < 2; i++) await guard.onFailure('t', 'fay@example.com', '127.0.0.1');
    await guard.onSuccess('t', 'fay@example.com', '127.0.0.1');
    for (let i = 0; i < 2; i++) await guard.onFailure('t', 'fay@example.com', '127.0.0.1');
    expect(await locked('fay@example.com')).toBeUndefined();
    await guard.onFailure('t', 'fay@example.com', '127.0.0.1');
    const error = await locked('fay@example.com');
    expect(error?.code).toBe('account_locked');
    expect(Number(error?.headers['Retry-After'])).toBeGreaterThanOrEqual(1);
  });
});

describe('a Redis that stops answering (SIGSTOP)', () => {
  let redis: RedisServer;
  let limits: RateLimits;
  beforeAll(async () => {
    redis = await startRedisServer(await freePort());
    limits = createRateLimits({ redisUrl: redis.url, logger: silentLogger });
    await waitFor(() => limits.status().connected, 'the limiter to connect');
  });
  afterAll(async () => {
    redis.process.kill('SIGCONT');
    await limits.close();
    await redis.kill();
  });

  it('answers 503 at the command deadline instead of hanging, and recovers', async () => {
    const app = limitedApp(limits);
    const signIn = () =>
      request(app)
        .post('/v1/auth/sign-in')
        .set('X-Tenant-ID', 't')
        .send({ email: 'a@example.com' });
    expect((await signIn()).status).toBe(200);
    redis.process.kill('SIGSTOP');
    const started = Date.now();
    const res = await signIn();
    const elapsed = Date.now() - started;
    expect(res.status).toBe(503);
    expect(codeOf(res)).toBe('service_unavailable');
    expect(res.headers['retry-after']).toBeDefined();
    // Loose bound on purpose: the point is "no hang", not a latency budget (measured ~0.5 s).
    expect(elapsed).toBeLessThan(5_000);
    redis.process.kill('SIGCONT');
    await waitFor(async () => (await signIn()).status === 200, 'requests to pass again');
  });
});

describe('data plane with Redis killed and restarted', () => {
  let port: number;
  let redis: RedisServer;
  let system: AbuseDataPlane;

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedisServer(port);
    system = await startAbuseDataPlane(
      { lockout: { max_failures: 3, window_seconds: 60 } },
      { HJ_REDIS_URL: redis.url },
    );
  });
  afterAll(async () => {
    await system.close();
    await redis.kill();
  });

  const path = (p: string) => `/t/${system.tenant.slug}${p}`;
  const signIn = (password: string) =>
    request(system.dp.url)
      .post(path('/v1/auth/sign-in'))
      .send({ email: 'gus@example.com', password });
  const readiness = async () =>
    (await request(system.dp.url).get('/readyz')).body as {
      checks: { redis?: { status: string; detail?: { connected: boolean } } };
    };

  it('fails closed with a quick 503 on limited routes only, reports it, and recovers', async () => {
    await waitFor(
      async () => (await readiness()).checks.redis?.detail?.connected === true,
      'redis ready',
    );
    const created = await request(system.dp.url)
      .post(path('/v1/auth/sign-up'))
      .send({ email: 'gus@example.com', password: PASSWORD });
    expect(created.status).toBe(201);
    const signedIn = await signIn(PASSWORD);
    expect(signedIn.status).toBe(200);
    const { access_token, refresh_token } = signedIn.body as {
      access_token: string;
      refresh_token: string;
    };

    // Lockout is counted in this Redis too.
    for (let i = 0; i < 3; i++) expect((await signIn('wrong-password-here')).status).toBe(401);
    expect(codeOf(await signIn(PASSWORD))).toBe('account_locked');

    await redis.kill();
    const started = Date.now();
    const refused = await signIn(PASSWORD);
    const elapsed = Date.now() - started;
    expect(refused.status).toBe(503);
    expect(codeOf(refused)).toBe('service_unavailable');
    // Loose bound on purpose: the point is "no hang" (measured in milliseconds).
    expect(elapsed).toBeLessThan(5_000);
    const refresh = await request(system.dp.url)
      .post(path('/v1/auth/refresh'))
      .send({ refresh_token });
    expect(refresh.status).toBe(503);
    const signUp = await request(system.dp.url)
      .post(path('/v1/auth/sign-up'))
      .send({ email: 'hal@example.com', password: PASSWORD });
    expect(signUp.status).toBe(503);
    // Routes without limits keep working, and readiness names the problem.
    const me = await request(system.dp.url)
      .get(path('/v1/me'))
      .set('Authorization', `Bearer ${access_token}`);
    expect(me.status).toBe(200);
    const report = await readiness();
    expect(report.checks.redis?.detail?.connected).toBe(false);

    redis = await startRedisServer(port);
    await waitFor(
      async () => (await signIn('still-wrong-password')).status !== 503,
      'limits to recover',
    );
    // A fresh Redis forgot the lockout: the right password passes again.
    expect((await signIn(PASSWORD)).status).toBe(200);
    expect((await readiness()).checks.redis?.detail?.connected).toBe(true);
  });
});
