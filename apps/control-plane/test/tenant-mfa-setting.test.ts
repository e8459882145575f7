import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { startCpApp, type CpApp } from './support/cp-app';

/** The tenant's MFA policy (docs/mfa.md) is a setting like any other, validated on write. */
describe('tenant setting mfa', () => {
  let cp: CpApp;
  let owner: string;

  beforeAll(async () => {
    cp = await startCpApp(undefined);
    owner = await cp.token();
  });
  afterAll(async () => {
    await cp.close();
  });

  it('stores off, optional or required, and refuses anything else naming the field', async () => {
    const slug = `mfa-${randomBytes(4).toString('hex')}`;
    await request(cp.app)
      .post('/v1/tenants')
      .set('Authorization', `Bearer ${owner}`)
      .send({ slug, name: 'Acme', settings: { mfa: 'required' } })
      .expect(202);
    const shown = await request(cp.app)
      .get(`/v1/tenants/${slug}`)
      .set('Authorization', `Bearer ${owner}`)
      .expect(200);
    expect(shown.body.settings).toEqual({ mfa: 'required' });

    const bad = await request(cp.app)
      .patch(`/v1/tenants/${slug}`)
      .set('Authorization', `Bearer ${owner}`)
      .send({ settings: { mfa: 'sometimes' } })
      .expect(400);
    expect(bad.body.code).toBe('validation_failed');
    expect(bad.body.errors).toEqual([expect.objectContaining({ path: 'body.settings.mfa' })]);
    await request(cp.app)
      .patch(`/v1/tenants/${slug}`)
      .set('Authorization', `Bearer ${owner}`)
      .send({ settings: { mfa: 'off' } })
      .expect(200);
  });
});
