import type { Page } from 'playwright-core';
import request from 'supertest';
import { submitSignIn, useBrowserRig } from '../support/browser/hosted-flow';
import { slug, type Tenant } from '../support/oauth';
import type { System } from '../support/system';

/**
 * The invitation page in headless Chromium with JavaScript off (docs/organizations.md): a
 * signed-out invitee opens the mailed link, chooses "Sign in to accept", signs in on the hosted
 * login and lands back on the invitation with its Accept button. Mails land in the dev mailbox.
 */

const SLOW = 120_000;
const PASSWORD = 'a long enough password';

describe('hosted invitation page in headless Chromium, JavaScript off', () => {
  const { rig, profiles } = useBrowserRig({
    origins: () => [tenant.issuer],
    timeoutMs: SLOW,
  });
  let system: System;
  let tenant: Tenant;

  const dp = (method: 'post' | 'get', path: string, token: string) =>
    request(system.dp.url)
      [method](path)
      .set('X-Tenant-ID', tenant.slug)
      .set('Authorization', `Bearer ${token}`);

  /** A user with a verified address, made by a tenant admin. */
  async function verifiedUser(name: string): Promise<string> {
    const email = `${name}-${slug('u')}@example.com`;
    await dp('post', '/v1/admin/users', await system.adminToken())
      .send({ email, password: PASSWORD, email_verified: true })
      .expect(201);
    return email;
  }

  /** The mailed invitation link to `to`, once it has arrived in the dev mailbox. */
  async function mailedLink(to: string): Promise<string> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const mails = await system.dp.deps.mail.devMailbox.list(50);
      const mail = mails.find((m) => m.to === to && m.text.includes('/login/invitation'));
      const link = mail && /https?:\/\/\S+\/login\/invitation\?token=[\w-]+/.exec(mail.text);
      if (link) return link[0];
      if (Date.now() > deadline) throw new Error(`no invitation mail to ${to}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  beforeAll(async () => {
    system = rig().system;
    tenant = await system.createTenant(slug('invite'), { name: 'Acme' });
  }, SLOW);

  it(
    'signs a signed-out invitee in on the hosted login and brings them back to accept',
    async () => {
      const ownerEmail = await verifiedUser('owner');
      const owner = await request(system.dp.url)
        .post('/v1/auth/sign-in')
        .set('X-Tenant-ID', tenant.slug)
        .send({ email: ownerEmail, password: PASSWORD })
        .expect(200);
      const ownerToken = (owner.body as { access_token: string }).access_token;
      const org = await dp('post', '/v1/organizations', ownerToken)
        .send({ name: 'Acme Docs', slug: slug('docs') })
        .expect(201);
      const orgId = (org.body as { id: string }).id;
      const invited = await verifiedUser('invited');
      await dp('post', `/v1/organizations/${orgId}/invitations`, ownerToken)
        .send({ email: invited, role: 'member' })
        .expect(201);
      const link = await mailedLink(invited);

      const page: Page = await (await profiles.newContext({ javaScriptEnabled: false })).newPage();
      await page.goto(link);
      await expect(page.locator('h1').textContent()).resolves.toBe('Join Acme Docs');
      await expect(page.getByRole('button', { name: 'Accept invitation' }).count()).resolves.toBe(
        0,
      );
      await expect(page.getByRole('button', { name: 'Create an account' }).count()).resolves.toBe(
        1,
      );
      await page.getByRole('button', { name: 'Sign in to accept' }).click();
      expect(new URL(page.url()).pathname).toBe(`/t/${tenant.slug}/login`);
      // The sign-in page names the tenant, not a client, and never carries the mailed token.
      expect(page.url()).not.toContain('token=');
      await expect(page.locator('main').textContent()).resolves.toContain('to continue to Acme');
      await submitSignIn(page, invited, PASSWORD);

      await page.waitForURL((url) => url.pathname === `/t/${tenant.slug}/login/invitation`);
      expect(new URL(page.url()).searchParams.get('tx')).toMatch(/^[\w-]{43}$/);
      await expect(page.locator('h1').textContent()).resolves.toBe('Join Acme Docs');
      await page.getByRole('button', { name: 'Accept invitation' }).click();
      await expect(page.locator('h1').textContent()).resolves.toBe("You've joined Acme Docs");

      const members = await dp('get', `/v1/organizations/${orgId}/members`, ownerToken).expect(200);
      expect((members.body as { data: Array<{ email: string }> }).data.map((m) => m.email)).toEqual(
        expect.arrayContaining([ownerEmail, invited]),
      );
    },
    SLOW,
  );
});
