import request from 'supertest';
import { OWNER, startCpApp, type CpApp } from './support/cp-app';

interface Problem {
  code: string;
}

const codeOf = (res: request.Response) => (res.body as Problem).code;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function signIn(cp: CpApp, ip: string, password: string, email = OWNER.email) {
  return request(cp.app)
    .post('/v1/auth/sign-in')
    .set('X-Forwarded-For', ip)
    .send({ email, password });
}

/** Online guessing of CP admin passwords is capped per IP. */
describe('CP admin sign-in limits', () => {
  let cp: CpApp;
  beforeAll(async () => {
    cp = await startCpApp();
  });
  afterAll(async () => {
    await cp.close();
  });

  it('answers 429 rate_limited with Retry-After once an IP spends its budget', async () => {
    // Other emails each time, so only the per-address budget is spent.
    for (let attempt = 1; attempt <= 20; attempt += 1) {
      const res = await signIn(cp, '10.0.0.1', `wrong-${attempt}`, `admin${attempt}@example.com`);
      expect(res.status).toBe(401);
    }
    const limited = await signIn(cp, '10.0.0.1', OWNER.password);
    expect(limited.status).toBe(429);
    expect(codeOf(limited)).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another address is unaffected.
    expect((await signIn(cp, '10.0.0.2', OWNER.password)).status).toBe(200);
  });

  /**
   * The per-account delay also holds for a burst from many addresses at once: the free failures
   * and one attempt through the gate reach the password check.
   *
   * @see issue 15
   */
  it('checks 6 passwords of 25 parallel guesses from 25 addresses', async () => {
    const answers = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        signIn(cp, `10.1.0.${i}`, `guess-${i}`, 'burst-admin@example.com'),
      ),
    );
    const counts: Record<string, number> = {};
    for (const res of answers) {
      const key = `${res.status} ${codeOf(res)}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    expect(counts).toEqual({ '401 invalid_credentials': 6, '429 rate_limited': 19 });
  });
});

/**
 * "Anyone can lock the CP admin out": 30 failures per 15 minutes per email, from any address,
 * used to lock the admin out for 15 minutes, and the bootstrap admin's email is guessable. Now an
 * address is limited per account (10 failures) and the account only slowed down (5 free
 * failures, then 1 s doubling to a cap; 2 s here), on failures only: the owner, elsewhere, waits
 * at most the cap.
 *
 * @see issue 15
 */
describe('CP admin sign-in: an attacker cannot lock the owner out', () => {
  const CAP_SECONDS = 2;
  const ATTACKER = '203.0.113.10';
  const OWNER_IP = '198.51.100.20';
  let cp: CpApp;
  beforeAll(async () => {
    cp = await startCpApp(undefined, {
      adminSignIn: {
        // Out of the way: 40 guesses from one address would spend the 20-a-minute budget first.
        ip: { points: 1000, durationSeconds: 60 },
        policy: { account: { maxSeconds: CAP_SECONDS } },
      },
    });
  });
  afterAll(async () => {
    await cp.close();
  });

  it('slows 40 guesses from one address, and the owner signs in after at most the cap', async () => {
    const attack: request.Response[] = [];
    for (let i = 0; i < 40; i++) attack.push(await signIn(cp, ATTACKER, `guess-${i}`));
    const checked = attack.filter((res) => res.status === 401).length;
    const refused = attack.filter((res) => res.status === 429);
    expect(checked + refused.length).toBe(40);
    // The free failures and one through the gate; more only if the loop outlasted a delay.
    expect(checked).toBeGreaterThanOrEqual(6);
    for (const res of refused) {
      expect(codeOf(res)).toBe('rate_limited');
      expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(CAP_SECONDS);
    }
    expect(attack.at(-1)?.status).toBe(429);

    // The owner, from another address, with the right password.
    let owner = await signIn(cp, OWNER_IP, OWNER.password);
    if (owner.status === 429) {
      const wait = Number(owner.headers['retry-after']);
      expect(wait).toBeLessThanOrEqual(CAP_SECONDS);
      await sleep(wait * 1000);
      owner = await signIn(cp, OWNER_IP, OWNER.password);
    }
    expect(owner.status).toBe(200);

    // The success cleared the account's delay but not the attacker's address: after its 10th
    // failure for this account it is refused, even with the right password, for the window.
    for (let i = checked; i < 10; i++)
      expect((await signIn(cp, ATTACKER, `more-${i}`)).status).toBe(401);
    const blocked = await signIn(cp, ATTACKER, OWNER.password);
    expect(blocked.status).toBe(429);
    expect(codeOf(blocked)).toBe('rate_limited');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(CAP_SECONDS);
    // That pair only: the owner still signs in at once.
    expect((await signIn(cp, OWNER_IP, OWNER.password)).status).toBe(200);
  });
});
