import request from 'supertest';
import { startAbuseDataPlane, type AbuseDataPlane } from './support/abuse-data-plane';

const PASSWORD = 'violet-harbour-lantern-47';

interface Problem {
  code: string;
  status: number;
  title: string;
  detail?: string;
}

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
