import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '@hellojohn/example-sample-backend';
import { startWebApp, type RunningWebApp } from '@hellojohn/example-web-app';
import { freePort } from '@hellojohn/testing';
import request from 'supertest';
import { createFormBrowser, decodeEntities, formsOf } from './support/form-browser';
import type { BrowserPage, FormBrowser } from './support/form-browser';
import { registerClient, slug, type Tenant } from './support/oauth';
import { startSystem } from './support/system';
import type { System } from './support/system';

const PASSWORD = 'a long enough password';

/** The names of the fields of the page's forms, to tell a sign-in form when one is shown. */
const fieldNames = (page: BrowserPage): string[] =>
  formsOf(page.html).flatMap((form) => form.fields.map(([name]) => name));

/** What the sample backend answered, as the web app's /profile page shows it. */
function backendAnswer(page: BrowserPage): unknown {
  const answer = /<pre id="answer">([\s\S]*?)<\/pre>/.exec(page.html)?.[1] ?? '';
  return JSON.parse(decodeEntities(answer));
}

/**
 * examples/web-app, end to end: both planes, the sample backend and the web app run; a browser
 * without JavaScript signs in through the web app (authorization code + PKCE, done by
 * openid-client), lands back signed in, has the web app call the sample backend with its access
 * token, and signs out of both the web app and HelloJohn (RP-initiated logout).
 */
describe('example web app signing in with openid-client', () => {
  let system: System;
  let tenant: Tenant;
  let backend: Server;
  let webApp: RunningWebApp;
  let appUrl: string;
  const user = { id: '', email: `ada-${randomBytes(3).toString('hex')}@example.com` };

  beforeAll(async () => {
    system = await startSystem();
    tenant = await system.createTenant(slug('webapp'));

    backend = createServer(createApp({ tenantUrl: tenant.issuer }));
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    const backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;

    // The port is fixed before the client is registered: its redirect URI names it.
    const port = await freePort();
    appUrl = `http://127.0.0.1:${port}`;
    const client = await registerClient(system, tenant, {
      name: 'Example web app',
      type: 'confidential',
      grant_types: ['authorization_code', 'refresh_token'],
      redirect_uris: [`${appUrl}/callback`],
      post_logout_redirect_uris: [`${appUrl}/`],
      first_party: true,
      access_token_ttl: 60,
    });

    webApp = await startWebApp(
      {
        issuer: tenant.issuer,
        clientId: client.client_id,
        clientSecret: client.client_secret ?? '',
        appUrl,
        backendUrl,
      },
      { port, host: '127.0.0.1' },
    );

    const signedUp = await request(system.dp.url)
      .post(`/t/${tenant.slug}/v1/auth/sign-up`)
      .send({ email: user.email, password: PASSWORD })
      .expect(201);
    user.id = (signedUp.body as { user: { id: string } }).user.id;
  });
  afterAll(async () => {
    await webApp.close();
    await new Promise((resolve) => backend.close(resolve));
    await system.close();
  });

  /** Opens the web app's /login and signs in on the hosted page; returns where it lands. */
  async function signIn(browser: FormBrowser): Promise<BrowserPage> {
    const login = await browser.open(`${appUrl}/login`);
    expect(login.url).toContain(`${tenant.issuer}/login?`);
    expect(fieldNames(login)).toEqual(expect.arrayContaining(['tx', 'csrf']));
    return browser.submit(login, { email: user.email, password: PASSWORD });
  }

  it('signs in on the hosted page and lands back on the web app, signed in', async () => {
    const browser = createFormBrowser();
    const home = await signIn(browser);
    expect(home.url).toBe(`${appUrl}/`);
    expect(home.status).toBe(200);
    expect(decodeEntities(home.html)).toContain(`Signed in as <strong>${user.email}</strong>`);
    expect(home.html).toContain(user.id);
    // The session cookie is HttpOnly and SameSite=Lax; the tokens stay on the server.
    const cookies = browser.cookies(`${appUrl}/`);
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatch(/^web_app_session=[\w-]{43}$/);
  });

  it("calls the sample backend with the user's access token", async () => {
    const browser = createFormBrowser();
    await signIn(browser);
    const profile = await browser.open(`${appUrl}/profile`);
    expect(profile.status).toBe(200);
    expect(profile.html).toMatch(/answered\s+<strong id="status">200<\/strong>/);
    expect(backendAnswer(profile)).toEqual({ user: user.id, tenant: tenant.id });
  });

  it('sends a signed-out visitor of /profile through sign-in and back to /profile', async () => {
    const browser = createFormBrowser();
    const login = await browser.open(`${appUrl}/profile`);
    expect(login.url).toContain(`${tenant.issuer}/login?`);
    const profile = await browser.submit(login, { email: user.email, password: PASSWORD });
    expect(profile.url).toBe(`${appUrl}/profile`);
    expect(profile.html).toContain(user.id);
  });

  it('refreshes an expired access token before calling the sample backend', async () => {
    const browser = createFormBrowser();
    await signIn(browser);
    // Every party runs in this process, so moving Date past the access token's 60 s expires it
    // for the web app, the data plane and the sample backend alike (which would answer 401 to
    // the old token); timers stay real.
    jest.useFakeTimers({
      now: Date.now() + 5 * 60_000,
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    });
    try {
      const profile = await browser.open(`${appUrl}/profile`);
      expect(profile.status).toBe(200);
      expect(profile.html).toMatch(/answered\s+<strong id="status">200<\/strong>/);
      expect(backendAnswer(profile)).toEqual({ user: user.id, tenant: tenant.id });
    } finally {
      jest.useRealTimers();
    }
  });

  it('signs out of the web app and of HelloJohn: signing in again asks for the password', async () => {
    const browser = createFormBrowser();
    const home = await signIn(browser);
    const signedOut = await browser.submit(home, {}, { action: '/logout' });
    // RP-initiated logout went through HelloJohn and came back to the post-logout URI.
    expect(signedOut.url).toBe(`${appUrl}/`);
    expect(signedOut.html).toContain('You are not signed in.');
    expect(browser.cookies(`${appUrl}/`)).toEqual([]);

    // Without HelloJohn's SSO session, /login shows the sign-in form instead of coming back.
    const again = await browser.open(`${appUrl}/login`);
    expect(again.url).toContain(`${tenant.issuer}/login?`);
    expect(fieldNames(again)).toEqual(expect.arrayContaining(['tx', 'csrf']));
    expect((await browser.open(`${appUrl}/profile`)).url).toContain(`${tenant.issuer}/login?`);
  });

  it('refuses a callback it did not start, and a sign-out posted from another site', async () => {
    const browser = createFormBrowser();
    const callback = await browser.open(`${appUrl}/callback?code=forged&state=forged`);
    expect(callback.status).toBe(400);
    expect(callback.html).toContain('Sign-in failed');

    const crossSite = await fetch(`${appUrl}/logout`, {
      method: 'POST',
      headers: { origin: 'https://evil.example' },
      redirect: 'manual',
    });
    expect(crossSite.status).toBe(403);
  });
});
