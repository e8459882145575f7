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

  describe('template overrides (settings.mail.templates)', () => {
    const create = (templates: unknown) =>
      as(owner)
        .post('/v1/tenants')
        .send({
          slug: `tpl-${randomBytes(4).toString('hex')}`,
          name: 'Acme',
          settings: { mail: { templates } },
        });
    const pathsOf = (body: { errors?: { path: string }[] }): string[] => [
      ...new Set((body.errors ?? []).map((e) => e.path)),
    ];

    it('stores a valid override and reads it back', async () => {
      const templates = {
        magic_link: {
          es: {
            subject: 'Entra en {{tenantName}}',
            html: '<p>{{#if link}}<a href="{{link}}">Entrar</a>{{/if}}</p>',
          },
        },
        invitation: { en: { text: '{{organization}} ({{role}}): {{link}}' } },
      };
      const res = await create(templates).expect(202);
      const shown = await as(owner)
        .get(`/v1/tenants/${res.body.slug as string}`)
        .expect(200);
      expect(shown.body.settings.mail.templates).toEqual(templates);
    });

    it.each([
      ['verify_email', 'en', 'html', '<p>{{#each link}}x{{/each}}</p>'],
      ['verify_email', 'es', 'subject', 'Hola {{user.name}}'],
      ['password_reset', 'en', 'text', 'Code {{code}}'],
      ['magic_link', 'en', 'html', '<a href="{{link}}">{{{tenantName}}}</a>'],
      ['email_otp', 'es', 'html', '{{> button}}'],
      ['mfa_code', 'en', 'subject', '{{code'],
      ['invitation', 'en', 'html', '{{lookup this "constructor"}}'],
      ['email_otp', 'en', 'text', '{{__proto__}}'],
    ])('refuses %s.%s.%s = %j with a 400 naming the part', async (kind, locale, part, source) => {
      const res = await create({ [kind]: { [locale]: { [part]: source } } }).expect(400);
      expect(res.body.code).toBe('validation_failed');
      expect(pathsOf(res.body)).toEqual([`body.settings.mail.templates.${kind}.${locale}.${part}`]);
    });

    it('refuses unknown kinds, locales and parts, and oversized parts', async () => {
      for (const templates of [
        { welcome: { en: { subject: 'x' } } },
        { magic_link: { fr: { subject: 'x' } } },
        { magic_link: { en: { footer: 'x' } } },
        { magic_link: { en: { html: 'x'.repeat(20_001) } } },
      ]) {
        const res = await create(templates).expect(400);
        expect(res.body.code).toBe('validation_failed');
        expect(pathsOf(res.body)[0]).toMatch(/^body\.settings\.mail\.templates/);
      }
    });
  });
});
