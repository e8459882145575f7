import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { startCpApp, type CpApp } from './support/cp-app';

/** A tenant's own SMTP server: its password is stored sealed and never shown again. */
describe("tenant mail settings (the tenant's own SMTP server)", () => {
  let cp: CpApp;
  let owner: string;

  beforeAll(async () => {
    cp = await startCpApp(undefined);
    owner = await cp.token();
  });
  afterAll(async () => {
    await cp.close();
  });

  const as = (token: string) => ({
    get: (path: string) => request(cp.app).get(path).set('Authorization', `Bearer ${token}`),
    post: (path: string) => request(cp.app).post(path).set('Authorization', `Bearer ${token}`),
    patch: (path: string) => request(cp.app).patch(path).set('Authorization', `Bearer ${token}`),
  });
  const smtpUrl = 'smtp://mailer:p%40ss-w0rd@smtp.acme.test:587';

  async function createWithMail(): Promise<{ id: string; slug: string }> {
    const res = await as(owner)
      .post('/v1/tenants')
      .send({
        slug: `mail-${randomBytes(4).toString('hex')}`,
        name: 'Acme',
        settings: { mail: { smtp_url: smtpUrl, from: 'Acme <hello@acme.test>' } },
      })
      .expect(202);
    return res.body as { id: string; slug: string };
  }

  it('stores the password sealed, shows ***, and gives the data plane the real URL', async () => {
    const tenant = await createWithMail();
    const shown = await as(owner).get(`/v1/tenants/${tenant.slug}`).expect(200);
    expect(shown.body.settings).toEqual({
      mail: { smtp_url: 'smtp://mailer:***@smtp.acme.test:587', from: 'Acme <hello@acme.test>' },
    });
    const row = await cp.deps.db.tenants.findById(tenant.id);
    expect(JSON.stringify(row?.settings)).not.toContain('p%40ss');
    expect(JSON.stringify(row?.settings)).toMatch(/"smtp_password_sealed":"v1\./);
    await cp.flush();
    const event = cp.events.find((e) => e.tenant_id === tenant.id);
    expect(JSON.stringify(event)).not.toContain('p%40ss');
    expect(JSON.stringify(event)).not.toContain('smtp_password_sealed');

    const internal = await as(cp.deps.config.internalToken)
      .get(`/internal/v1/tenants/${tenant.id}`)
      .expect(200);
    expect(internal.body.settings.mail).toEqual({
      smtp_url: smtpUrl,
      from: 'Acme <hello@acme.test>',
    });
  });

  it('keeps the stored password for *** on the same server, and refuses it for another', async () => {
    const tenant = await createWithMail();
    const masked = 'smtp://mailer:***@smtp.acme.test:587';
    await as(owner)
      .patch(`/v1/tenants/${tenant.slug}`)
      .send({ settings: { sign_up_enabled: false, mail: { smtp_url: masked } } })
      .expect(200);
    const internal = await as(cp.deps.config.internalToken)
      .get(`/internal/v1/tenants/${tenant.id}`)
      .expect(200);
    expect(internal.body.settings.mail).toEqual({ smtp_url: smtpUrl });

    const elsewhere = await as(owner)
      .patch(`/v1/tenants/${tenant.slug}`)
      .send({ settings: { mail: { smtp_url: 'smtp://mailer:***@evil.test:587' } } })
      .expect(400);
    expect(elsewhere.body.code).toBe('validation_failed');
  });

  it('refuses a sealed password given from outside, and a non-SMTP URL', async () => {
    for (const mail of [
      { smtp_url: 'smtp://a@b.test', smtp_password_sealed: 'v1.x.y.z' },
      { smtp_url: 'http://smtp.acme.test' },
      { from: 'not an address' },
    ]) {
      const res = await as(owner)
        .post('/v1/tenants')
        .send({ slug: `mail-${randomBytes(4).toString('hex')}`, name: 'x', settings: { mail } })
        .expect(400);
      expect(res.body.code).toBe('validation_failed');
    }
  });
});
