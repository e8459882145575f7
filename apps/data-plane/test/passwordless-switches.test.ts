import { generateLinkToken } from '../src/one-time-tokens/link-token';
import { PASSWORD, tenantApi, type TenantApi } from './support/auth-client';
import { startDpSystem, type DpSystem, type TestTenant } from './support/dp-system';
import { hiddenField, hostedBrowser } from './support/hosted-browser';
import {
  codeIn,
  linkTokenIn,
  startMailCatcher,
  type MailCatcher,
  mailEnv,
} from './support/mail-catcher';

jest.setTimeout(60_000);

/** Tenant settings `passwordless.magic_link` / `passwordless.email_otp` (docs/mail.md). */
describe('passwordless switches per tenant', () => {
  let mail: MailCatcher;
  let system: DpSystem;
  let noLink: TenantApi;
  let noLinkTenant: TestTenant;
  let noCode: TenantApi;

  beforeAll(async () => {
    mail = await startMailCatcher();
    system = await startDpSystem(mailEnv(mail));
    noLinkTenant = await system.createTenant('no-link', { passwordless: { magic_link: false } });
    noLink = tenantApi(system.dp.url, noLinkTenant);
    noCode = tenantApi(
      system.dp.url,
      await system.createTenant('no-code', { passwordless: { email_otp: false } }),
    );
  });
  afterAll(async () => {
    await system.close();
    await mail.close();
  });

  const expectDisabled = (res: { status: number; body: Record<string, unknown> }, name: string) => {
    expect(res.status).toBe(403);
    expect(res.body['code']).toBe('feature_disabled');
    expect(res.body['detail']).toContain(name);
  };

  it('refuses sign-in links where they are off, and still mails codes there', async () => {
    const user = await noLink.newUser('no-link');
    expectDisabled(await noLink.post('/v1/auth/magic-link', { email: user.email }), 'magic_link');
    expectDisabled(
      await noLink.post('/v1/auth/magic-link/verify', { token: 'A'.repeat(43) }),
      'magic_link',
    );
    // The answer is the same for an address with no account: nothing to enumerate.
    expectDisabled(
      await noLink.post('/v1/auth/magic-link', { email: 'nobody@example.com' }),
      'magic_link',
    );

    // A link mailed before the switch was turned off: refused by the API and the hosted page.
    const live = generateLinkToken();
    await system.dp.deps.pools
      .get({ tenantId: noLinkTenant.id, database: { mode: 'managed' } })
      .oneTimeTokens.create({
        userId: user.id,
        purpose: 'magic_link',
        secretHash: live.hash,
        email: user.email,
        maxAttempts: 1,
        expiresAt: new Date(Date.now() + 600_000),
      });
    expectDisabled(
      await noLink.post('/v1/auth/magic-link/verify', { token: live.token }),
      'magic_link',
    );
    const browser = hostedBrowser(system.dp.url, noLinkTenant);
    const page = await browser.get(`${browser.base}/login/magic?token=${live.token}`).expect(200);
    const hosted = await browser.post(`${browser.base}/login/magic`, {
      csrf: hiddenField(page.text, 'csrf'),
      token: live.token,
    });
    expect(hosted.status).toBe(403);
    const cookies = ([] as string[]).concat(hosted.headers['set-cookie'] ?? []);
    expect(cookies.some((c) => c.startsWith('hj_session=') && !c.startsWith('hj_session=;'))).toBe(
      false,
    );

    await noLink.post('/v1/auth/email-otp', { email: user.email }).expect(202);
    const code = codeIn(await mail.next(user.email));
    await noLink.post('/v1/auth/email-otp/verify', { email: user.email, code }).expect(200);
  });

  it('refuses mailed codes where they are off, and still mails sign-in links there', async () => {
    const user = await noCode.newUser('no-code');
    expectDisabled(await noCode.post('/v1/auth/email-otp', { email: user.email }), 'email_otp');
    expectDisabled(
      await noCode.post('/v1/auth/email-otp/verify', { email: user.email, code: '123456' }),
      'email_otp',
    );

    await noCode.post('/v1/auth/magic-link', { email: user.email }).expect(202);
    const token = linkTokenIn(await mail.next(user.email), '/login/magic');
    await noCode.post('/v1/auth/magic-link/verify', { token }).expect(200);
    // Password sign-in is not affected.
    await noCode.signIn(user.email, PASSWORD).expect(200);
  });
});
