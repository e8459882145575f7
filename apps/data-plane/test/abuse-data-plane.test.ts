import request from 'supertest';
import {
  startAbuseDataPlane,
  wrongPasswordBurst,
  type AbuseDataPlane,
} from './support/abuse-data-plane';

const PASSWORD = 'violet-harbour-lantern-47';

interface Problem {
  code: string;
  status: number;
  title: string;
  detail?: string;
}

const codeOf = (res: request.Response) => (res.body as Problem).code;

describe('data plane: sign-in limits and lockout (SQLite, in-memory limits)', () => {
  let system: AbuseDataPlane;
  beforeAll(async () => {
    system = await startAbuseDataPlane({ lockout: { max_failures: 3, window_seconds: 60 } });
  });
  afterAll(() => system.close());

  const path = (p: string) => `/t/${system.tenant.slug}${p}`;
  // Each case its own client address, so the per-IP budget of one does not spill into another.
  const signIn = (email: string, password: string, ip: string) =>
    request(system.dp.url)
      .post(path('/v1/auth/sign-in'))
      .set('X-Forwarded-For', ip)
      .send({ email, password });
  const signUp = (email: string, ip: string) =>
    request(system.dp.url)
      .post(path('/v1/auth/sign-up'))
      .set('X-Forwarded-For', ip)
      .send({ email, password: PASSWORD });

  async function lockOut(email: string, ip: string): Promise<request.Response> {
    for (let i = 0; i < 3; i++) {
      const res = await signIn(email, 'wrong-password-entirely', ip);
      expect(res.status).toBe(401);
      expect((res.body as Problem).code).toBe('invalid_credentials');
    }
    // Even the right password is refused while locked.
    return signIn(email, PASSWORD, ip);
  }

  function comparable(res: request.Response) {
    const { code, status, title, detail } = res.body as Problem;
    return {
      httpStatus: res.status,
      code,
      status,
      title,
      detail,
      retryAfter: typeof res.headers['retry-after'],
    };
  }

  it('locks an existing and an unknown account alike after the tenant’s max failures', async () => {
    expect((await signUp('alice@example.com', '10.1.0.1')).status).toBe(201);
    const existing = await lockOut('alice@example.com', '10.1.0.2');
    const unknown = await lockOut('nobody-here@example.com', '10.1.0.3');
    expect(existing.status).toBe(429);
    expect((existing.body as Problem).code).toBe('account_locked');
    expect(Number(existing.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(existing.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(comparable(unknown)).toEqual(comparable(existing));
  });

  it('clears the failure count on a successful sign-in', async () => {
    expect((await signUp('bob@example.com', '10.2.0.1')).status).toBe(201);
    const ip = '10.2.0.2';
    for (let i = 0; i < 2; i++)
      expect((await signIn('bob@example.com', 'nope-nope-nope', ip)).status).toBe(401);
    expect((await signIn('bob@example.com', PASSWORD, ip)).status).toBe(200);
    for (let i = 0; i < 2; i++)
      expect((await signIn('bob@example.com', 'nope-nope-nope', ip)).status).toBe(401);
    // Four failures in the window, but not three since the last success: not locked.
    expect((await signIn('bob@example.com', PASSWORD, ip)).status).toBe(200);
  });

  it('answers the 21st sign-in from one address with 429 rate_limited', async () => {
    const ip = '10.3.0.1';
    for (let i = 0; i < 20; i++) {
      expect((await signIn(`user${i}@example.com`, 'whatever-it-is', ip)).status).toBe(401);
    }
    const refused = await signIn('user-last@example.com', 'whatever-it-is', ip);
    expect(refused.status).toBe(429);
    expect((refused.body as Problem).code).toBe('rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Another address is unaffected.
    expect((await signIn('user-last@example.com', 'whatever-it-is', '10.3.0.2')).status).toBe(401);
  });

  it('reports no Redis check when limits are kept in memory', async () => {
    const res = await request(system.dp.url).get('/readyz');
    expect((res.body as { checks: Record<string, unknown> }).checks).not.toHaveProperty('redis');
  });
});

/**
 * The lockout used to read the count, run bcrypt, then add the failure, so a parallel burst all
 * passed the check (25 wrong passwords with distinct X-Forwarded-For: 20 x 401, no
 * `account_locked`). Each attempt now reserves its place before the hash comparison.
 *
 * The tenant hashes at `bcrypt_cost: 10` (the lowest a tenant may set), not the tests' 4: at cost
 * 4 one sign-in finishes (synchronous SQLite, a 1 ms hash) before the next request is parsed, so
 * the attempts never overlap and the race cannot show; at 10 the hashes overlap as in production.
 *
 * @see issue 15
 */
describe.each([
  {
    mode: 'lockout',
    settings: { lockout: { max_failures: 3, window_seconds: 60 }, bcrypt_cost: 10 },
    // Exactly max_failures passwords checked, the lockout refuses the rest.
    expected: { '401 invalid_credentials': 3, '429 account_locked': 17, '429 rate_limited': 5 },
  },
  {
    mode: 'delay',
    settings: {
      lockout: { mode: 'delay', max_failures: 3, window_seconds: 60 },
      bcrypt_cost: 10,
    },
    // The free failures, then one attempt through the delay gate; the gate refuses the rest.
    expected: { '401 invalid_credentials': 4, '429 rate_limited': 21 },
  },
])('data plane: a parallel burst of wrong passwords ($mode mode)', ({ settings, expected }) => {
  let system: AbuseDataPlane;
  beforeAll(async () => {
    system = await startAbuseDataPlane(settings);
  });
  afterAll(() => system.close());

  it('checks no more passwords than the mode allows', async () => {
    // The per-account budget (20 a minute) answers the 5 attempts beyond it with `rate_limited`
    // before the guard sees them; the guard sees the other 20.
    expect(await wrongPasswordBurst(system, PASSWORD)).toEqual(expected);
  });
});

/**
 * `lockout.mode: "delay"`: past max_failures the account is slowed down, not locked; the owner
 * waits at most `delay_max_seconds` (1 s here) for the right password to pass.
 *
 * @see issue 15
 */
describe('data plane: progressive delay instead of lockout (tenant setting)', () => {
  let system: AbuseDataPlane;
  beforeAll(async () => {
    system = await startAbuseDataPlane({
      lockout: { mode: 'delay', max_failures: 3, window_seconds: 60, delay_max_seconds: 1 },
    });
  });
  afterAll(() => system.close());

  const path = (p: string) => `/t/${system.tenant.slug}${p}`;
  const signIn = (email: string, password: string) =>
    request(system.dp.url)
      .post(path('/v1/auth/sign-in'))
      .set('X-Forwarded-For', '10.5.0.1')
      .send({ email, password });

  it('answers 429 rate_limited for the delay, then lets the right password in', async () => {
    const email = 'dora@example.com';
    const created = await request(system.dp.url)
      .post(path('/v1/auth/sign-up'))
      .set('X-Forwarded-For', '10.5.0.2')
      .send({ email, password: PASSWORD });
    expect(created.status).toBe(201);
    // The free failures, and the first attempt past them (which starts the delay).
    for (let i = 0; i < 4; i++) expect((await signIn(email, 'not-her-password')).status).toBe(401);
    const delayed = await signIn(email, PASSWORD);
    expect(delayed.status).toBe(429);
    expect(codeOf(delayed)).toBe('rate_limited');
    expect(delayed.headers['retry-after']).toBe('1');
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await signIn(email, PASSWORD)).status).toBe(200);
    // The success cleared the count: the free failures are free again.
    for (let i = 0; i < 3; i++) expect((await signIn(email, 'not-her-password')).status).toBe(401);
    expect((await signIn(email, PASSWORD)).status).toBe(200);
  });
});
