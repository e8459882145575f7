import { createLimiterStore } from '@hellojohn/abuse';
import { AppError } from '@hellojohn/http';
import request from 'supertest';
import { createLockout } from '../src/abuse/lockout';
import { createRateLimits, type RateLimits } from '../src/abuse/rate-limits';
import { limitedApp, silentLogger } from './support/abuse-app';

interface Problem {
  code: string;
}

describe('rate limits (in-memory store)', () => {
  let limits: RateLimits;
  beforeEach(() => {
    limits = createRateLimits({ logger: silentLogger });
  });
  afterEach(() => limits.close());

  function signIn(
    app: ReturnType<typeof limitedApp>,
    email: string,
    tenant = 'tenant-a',
    ip?: string,
  ) {
    const req = request(app).post('/v1/auth/sign-in').set('X-Tenant-ID', tenant);
    if (ip) void req.set('X-Forwarded-For', ip);
    return req.send({ email, password: 'irrelevant' });
  }

  it('answers the 21st sign-in from one address with 429, Retry-After and RateLimit-*', async () => {
    const app = limitedApp(limits);
    for (let i = 0; i < 20; i++) {
      const res = await signIn(app, `user${i}@example.com`);
      expect(res.status).toBe(200);
      expect(res.headers['ratelimit-remaining']).toBe(String(19 - i));
    }
    const refused = await signIn(app, 'one-more@example.com');
    expect(refused.status).toBe(429);
    expect((refused.body as Problem).code).toBe('rate_limited');
    const retryAfter = Number(refused.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers['ratelimit-limit']).toBe('20');
    expect(refused.headers['ratelimit-remaining']).toBe('0');
    expect(refused.headers['ratelimit-policy']).toBe('20;w=60');
  });

  it('gives every tenant its own budget', async () => {
    const app = limitedApp(limits);
    for (let i = 0; i < 20; i++) await signIn(app, `user${i}@example.com`, 'tenant-a');
    expect((await signIn(app, 'x@example.com', 'tenant-a')).status).toBe(429);
    expect((await signIn(app, 'x@example.com', 'tenant-b')).status).toBe(200);
  });

  it('limits one account across addresses, every spelling of the email counting as one', async () => {
    const app = limitedApp(limits);
    const spellings = [
      'alice@example.com',
      'Alice@Example.COM',
      ' alice@example.com ',
      'ａlice@example.com',
    ];
    for (let i = 0; i < 20; i++) {
      const res = await signIn(
        app,
        spellings[i % spellings.length] ?? '',
        'tenant-a',
        `10.0.0.${i}`,
      );
      expect(res.status).toBe(200);
    }
    const refused = await signIn(app, 'ALICE@example.com', 'tenant-a', '10.0.1.1');
    expect(refused.status).toBe(429);
    expect((await signIn(app, 'bob@example.com', 'tenant-a', '10.0.1.1')).status).toBe(200);
  });

  it('limits one refresh token and sign-up per address', async () => {
    const app = limitedApp(limits);
    const refresh = () =>
      request(app).post('/v1/auth/refresh').set('X-Tenant-ID', 't').send({ refresh_token: 'abc' });
    for (let i = 0; i < 10; i++) expect((await refresh()).status).toBe(200);
    expect((await refresh()).status).toBe(429);

    const signUp = (i: number) =>
      request(app)
        .post('/v1/auth/sign-up')
        .set('X-Tenant-ID', 't')
        .send({ email: `n${i}@example.com` });
    for (let i = 0; i < 10; i++) expect((await signUp(i)).status).toBe(200);
    expect((await signUp(99)).status).toBe(429);
  });

  it('honours overrides', async () => {
    await limits.close();
    limits = createRateLimits({
      logger: silentLogger,
      overrides: { sign_in_ip: { points: 2, durationSeconds: 10 } },
    });
    const app = limitedApp(limits);
    expect((await signIn(app, 'a@example.com')).status).toBe(200);
    expect((await signIn(app, 'b@example.com')).status).toBe(200);
    const refused = await signIn(app, 'c@example.com');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(10);
  });
});

describe('lockout (in-memory store)', () => {
  const store = createLimiterStore({ logger: silentLogger });
  const guard = createLockout({
    store,
    policyOf: async () => ({ maxFailures: 3, windowSeconds: 120 }),
    logger: silentLogger,
  });

  async function lockedError(tenantId: string, emailKey: string): Promise<AppError | undefined> {
    try {
      await guard.beforeAttempt(tenantId, emailKey, '127.0.0.1');
      return undefined;
    } catch (error) {
      if (error instanceof AppError) return error;
      throw error;
    }
  }

  it('locks an account at maxFailures with 429 account_locked and Retry-After', async () => {
    for (let i = 0; i < 2; i++) await guard.onFailure('t1', 'carol@example.com', '127.0.0.1');
    expect(await lockedError('t1', 'carol@example.com')).toBeUndefined();
    await guard.onFailure('t1', 'carol@example.com', '127.0.0.1');
    const error = await lockedError('t1', 'carol@example.com');
    expect(error?.code).toBe('account_locked');
    expect(error?.status).toBe(429);
    const retryAfter = Number(error?.headers['Retry-After']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(120);
    // Only that account, only in that tenant.
    expect(await lockedError('t1', 'dave@example.com')).toBeUndefined();
    expect(await lockedError('t2', 'carol@example.com')).toBeUndefined();
  });

  it('is cleared by a successful sign-in', async () => {
    for (let i = 0; i < 2; i++) await guard.onFailure('t1', 'erin@example.com', '127.0.0.1');
    await guard.onSuccess('t1', 'erin@example.com', '127.0.0.1');
    for (let i = 0; i < 2; i++) await guard.onFailure('t1', 'erin@example.com', '127.0.0.1');
    expect(await lockedError('t1', 'erin@example.com')).toBeUndefined();
    await guard.onFailure('t1', 'erin@example.com', '127.0.0.1');
    expect((await lockedError('t1', 'erin@example.com'))?.code).toBe('account_locked');
  });
});
