import type { Page } from 'playwright-core';
import request from 'supertest';
import {
  authorizationRequest,
  landOn,
  redeemCallback,
  registerRpClient,
  submitSignIn,
  useBrowserRig,
} from '../support/browser/hosted-flow';
import { slug, type Registered, type Tenant } from '../support/oauth';
import type { System } from '../support/system';

/**
 * The pages the mails link to, in headless Chromium with JavaScript off: forgot password -> the
 * mailed reset link -> a new password -> sign in with it and finish the code flow; and the
 * verification link's confirm button. Mails land in the dev mailbox (no SMTP server), read from
 * the data plane's own mailbox.
 */

const SLOW = 120_000;
const PASSWORD = 'a long enough password';
const NEW_PASSWORD = 'an even longer new password';

describe('hosted mail-link pages in headless Chromium, JavaScript off', () => {
  const { rig, profiles } = useBrowserRig({
    origins: (started) => [tenant.issuer, started.rp.origin],
    timeoutMs: SLOW,
  });
  let system: System;
  let tenant: Tenant;
  let app: Registered;

  async function newPage(): Promise<Page> {
    return (await profiles.newContext({ javaScriptEnabled: false })).newPage();
  }

  async function signUp(email: string): Promise<string> {
    const res = await request(system.dp.url)
      .post('/v1/auth/sign-up')
      .set('X-Tenant-ID', tenant.slug)
      .send({ email, password: PASSWORD })
      .expect(201);
    return (res.body as { access_token: string }).access_token;
  }

  /** The link to `page` in the newest dev-mailbox mail to `to`, once it has arrived. */
  async function mailedLink(to: string, page: string): Promise<string> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const mails = await system.dp.deps.mail.devMailbox.list(50);
      const mail = mails.find((m) => m.to === to && m.text.includes(page));
      const link = mail && new RegExp(`https?://\\S+${page}\\?token=[\\w-]+\\S*`).exec(mail.text);
      if (link) return link[0];
      if (Date.now() > deadline) throw new Error(`no ${page} mail to ${to}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  beforeAll(async () => {
    system = rig().system;
    tenant = await system.createTenant(slug('recover'), { name: 'Acme' });
    app = await registerRpClient(rig(), tenant, 'app');
  }, SLOW);

  it(
    'forgot password -> mailed link -> new password -> signs in with it to the client',
    async () => {
      const email = `reset-${slug('u')}@example.com`;
      await signUp(email);
      const auth = await authorizationRequest(tenant, app, rig().rp.redirectUri('app'), {
        scope: 'openid email',
      });

      const page = await newPage();
      await page.goto(auth.url);
      await page.getByRole('link', { name: 'Forgot your password?' }).click();
      expect(new URL(page.url()).pathname).toBe(`/t/${tenant.slug}/login/forgot`);
      await page.getByLabel('Email address', { exact: true }).fill(email);
      await page.getByRole('button', { name: 'Send link' }).click();
      await expect(page.locator('h1').textContent()).resolves.toBe('Check your email');
      await expect(page.getByRole('status').textContent()).resolves.toContain(email);

      const link = await mailedLink(email, '/login/reset');
      const response = await page.goto(link);
      const headers = (await response?.allHeaders()) ?? {};
      expect(headers['referrer-policy']).toBe('no-referrer');
      expect(headers['cache-control']).toMatch(/no-store/);
      const username = page.locator('#username');
      await expect(username.getAttribute('autocomplete')).resolves.toBe('username');
      await expect(username.inputValue()).resolves.toBe(email);
      const password = page.getByLabel('Create a password', { exact: true });
      await expect(password.getAttribute('autocomplete')).resolves.toBe('new-password');
      await password.fill(NEW_PASSWORD);
      await page.getByRole('button', { name: 'Continue', exact: true }).click();
      await expect(page.locator('h1').textContent()).resolves.toBe(
        'Your password has been changed',
      );

      // Back to the sign-in of the same authorization, with the new password.
      await page.getByRole('link', { name: 'Sign in' }).click();
      await submitSignIn(page, email, NEW_PASSWORD);
      const { claims } = await redeemCallback(auth, await landOn(page, auth.redirectUri));
      expect(claims.email).toBe(email);

      // The old password is gone.
      await request(system.dp.url)
        .post('/v1/auth/sign-in')
        .set('X-Tenant-ID', tenant.slug)
        .send({ email, password: PASSWORD })
        .expect(401);
    },
    SLOW,
  );

  it(
    'verify-email: opening the link verifies nothing; the button does',
    async () => {
      const email = `verify-${slug('u')}@example.com`;
      const token = await signUp(email);
      const me = () =>
        request(system.dp.url)
          .get('/v1/me')
          .set('X-Tenant-ID', tenant.slug)
          .set('Authorization', `Bearer ${token}`)
          .expect(200);
      await request(system.dp.url)
        .post('/v1/auth/email/verify/send')
        .set('X-Tenant-ID', tenant.slug)
        .set('Authorization', `Bearer ${token}`)
        .expect(202);
      const link = await mailedLink(email, '/login/verify-email');

      const page = await newPage();
      await page.goto(link);
      await expect(page.locator('h1').textContent()).resolves.toBe('Verify your email address');
      expect((await me()).body.email_verified).toBe(false);
      await page.getByRole('button', { name: 'Verify my email address' }).click();
      await expect(page.locator('h1').textContent()).resolves.toBe(
        'Your email address is verified',
      );
      expect((await me()).body.email_verified).toBe(true);

      // The link is spent: opening it again says so.
      await page.goto(link);
      await expect(page.locator('h1').textContent()).resolves.toBe('This link is not valid');
    },
    SLOW,
  );
});
