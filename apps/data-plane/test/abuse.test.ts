import { createLimiterStore } from '@hellojohn/abuse';
import { AppError } from '@hellojohn/http';
import { createPasswordHasher } from '@hellojohn/tokens';
import request from 'supertest';
import { createLockout } from '../src/abuse/lockout';
import type { SignInGuard } from '../src/abuse/sign-in-guard';
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

const LOCKOUT = {
  mode: 'lockout',
  maxFailures: 3,
  windowSeconds: 120,
  delayMaxSeconds: 30,
} as const;

/** The code `promise` rejects with, `undefined` when it resolves. */
async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
}

/**
 * One sign-in as the auth service runs it: the guard, then the password check, then the outcome.
 * Resolves to the answer's code (`ok` for a success).
 */
async function signInThrough(
  guard: SignInGuard,
  tenantId: string,
  emailKey: string,
  check: () => Promise<boolean>,
  ip = '127.0.0.1',
): Promise<string> {
  const refused = await codeOf(guard.beforeAttempt(tenantId, emailKey, ip));
  if (refused) return refused;
  if (!(await check())) {
    await guard.onFailure(tenantId, emailKey, ip);
    return 'invalid_credentials';
  }
  await guard.onSuccess(tenantId, emailKey, ip);
  return 'ok';
}

const wrong = () => Promise.resolve(false);
const right = () => Promise.resolve(true);

/**
 * 25 wrong passwords for one account of `tenantId` at once, each from its own address under
 * `network` (`10.9.0` -> `10.9.0.0`...), with real bcrypt checks (cost 4): how many of each code.
 */
async function burstThrough(
  guard: SignInGuard,
  tenantId: string,
  network: string,
): Promise<Record<string, number>> {
  const hasher = createPasswordHasher(4);
  const hash = await hasher.hash('the-right-password');
  const codes = await Promise.all(
    Array.from({ length: 25 }, (_, i) =>
      signInThrough(
        guard,
        tenantId,
        'burst@example.com',
        () => hasher.verify(`wrong-${i}`, hash),
        `${network}.${i}`,
      ),
    ),
  );
  const counts: Record<string, number> = {};
  for (const code of codes) counts[code] = (counts[code] ?? 0) + 1;
  return counts;
}

describe('lockout (in-memory store)', () => {
  const store = createLimiterStore({ logger: silentLogger });
  const guard = createLockout({
    store,
    policyOf: async () => LOCKOUT,
    logger: silentLogger,
  });

  it('locks an account after maxFailures with 429 account_locked and Retry-After', async () => {
    for (let i = 0; i < 3; i++)
      expect(await signInThrough(guard, 't1', 'carol@example.com', wrong)).toBe(
        'invalid_credentials',
      );
    let error: AppError | undefined;
    try {
      await guard.beforeAttempt('t1', 'carol@example.com', '127.0.0.1');
    } catch (caught) {
      if (caught instanceof AppError) error = caught;
    }
    expect(error?.code).toBe('account_locked');
    expect(error?.status).toBe(429);
    const retryAfter = Number(error?.headers['Retry-After']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(120);
    // Even the right password; only that account, only in that tenant.
    expect(await signInThrough(guard, 't1', 'carol@example.com', right)).toBe('account_locked');
    expect(await signInThrough(guard, 't1', 'dave@example.com', right)).toBe('ok');
    expect(await signInThrough(guard, 't2', 'carol@example.com', right)).toBe('ok');
  });

  it('is cleared by a successful sign-in', async () => {
    for (let i = 0; i < 2; i++) await signInThrough(guard, 't1', 'erin@example.com', wrong);
    expect(await signInThrough(guard, 't1', 'erin@example.com', right)).toBe('ok');
    for (let i = 0; i < 3; i++)
      expect(await signInThrough(guard, 't1', 'erin@example.com', wrong)).toBe(
        'invalid_credentials',
      );
    expect(await signInThrough(guard, 't1', 'erin@example.com', right)).toBe('account_locked');
  });

  /**
   * The count used to be read before the hash and raised after it, so every attempt of a burst
   * passed the check. Here all 25 reach the guard before any hash ends (bcrypt cost 4).
   *
   * @see issue 15
   */
  it('lets exactly maxFailures of a parallel burst reach the password check', async () => {
    expect(await burstThrough(guard, 't1', '10.9.0')).toEqual({
      invalid_credentials: 3,
      account_locked: 22,
    });
  });
});

describe('progressive delay (in-memory store)', () => {
  const store = createLimiterStore({ logger: silentLogger });
  const delay = { ...LOCKOUT, mode: 'delay', delayMaxSeconds: 1 } as const;
  const guard = createLockout({
    store,
    // Tenant `td` delays; tenant `tl` locks (the mode is per tenant).
    policyOf: async (tenantId) => (tenantId === 'td' ? delay : LOCKOUT),
    logger: silentLogger,
  });

  /** @see issue 15 */
  it('delays instead of locking: the right password passes after Retry-After', async () => {
    for (let i = 0; i < 3; i++)
      expect(await signInThrough(guard, 'td', 'fay@example.com', wrong)).toBe(
        'invalid_credentials',
      );
    // The first attempt past the free failures goes through, and closes the gate behind it.
    expect(await signInThrough(guard, 'td', 'fay@example.com', wrong)).toBe('invalid_credentials');
    let error: AppError | undefined;
    try {
      await guard.beforeAttempt('td', 'fay@example.com', '127.0.0.1');
    } catch (caught) {
      if (caught instanceof AppError) error = caught;
    }
    expect(error?.code).toBe('rate_limited');
    expect(error?.status).toBe(429);
    expect(Number(error?.headers['Retry-After'])).toBe(1);
    // Another account of the tenant, and the same account in a locking tenant, are untouched.
    expect(await signInThrough(guard, 'td', 'gil@example.com', right)).toBe('ok');
    expect(await signInThrough(guard, 'tl', 'fay@example.com', right)).toBe('ok');
    // After the cap (1 s here), the owner gets in; that clears the count.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await signInThrough(guard, 'td', 'fay@example.com', right)).toBe('ok');
    for (let i = 0; i < 3; i++)
      expect(await signInThrough(guard, 'td', 'fay@example.com', wrong)).toBe(
        'invalid_credentials',
      );
  });

  /** @see issue 15 */
  it('lets one attempt of a parallel burst past the free failures', async () => {
    expect(await burstThrough(guard, 'td', '10.9.1')).toEqual({
      invalid_credentials: 4,
      rate_limited: 21,
    });
  });
});
