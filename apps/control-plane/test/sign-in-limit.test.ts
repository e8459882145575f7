import request from 'supertest';
import { OWNER, startCpApp, type CpApp } from './support/cp-app';

/** Online guessing of CP admin passwords is capped per IP (and per email). */
describe('CP admin sign-in limits', () => {
  let cp: CpApp;
  beforeAll(async () => {
    cp = await startCpApp();
  });
  afterAll(async () => {
    await cp.close();
  });

  it('answers 429 rate_limited with Retry-After once an IP spends its budget', async () => {
    for (let attempt = 1; attempt <= 20; attempt += 1) {
      await request(cp.app)
        .post('/v1/auth/sign-in')
        .send({ email: OWNER.email, password: `wrong-${attempt}` })
        .expect(401);
    }
    const limited = await request(cp.app)
      .post('/v1/auth/sign-in')
      .send({ email: OWNER.email, password: OWNER.password })
      .expect(429);
    expect(limited.body.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });
});
