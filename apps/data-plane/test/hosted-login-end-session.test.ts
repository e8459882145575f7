import { PASSWORD, tenantApi } from './support/auth-client';
import { startDpSystem, type DpSystem, type TestTenant } from './support/dp-system';
import { firstPartyWebApp, type RegisteredClient } from './support/fake-clients';
import {
  hiddenField,
  hostedBrowser,
  signInThrough,
  type HostedBrowser,
} from './support/hosted-browser';
import { basicHeader } from './support/oauth-client';

jest.setTimeout(60_000);

const APP = 'https://app.example.com/cb';
const AFTER = 'https://app.example.com/signed-out';

/** RP-Initiated Logout 1.0 at `/t/{tenant}/oauth2/end-session`, and the code's redemption. */
describe('hosted login: end-session', () => {
  let system: DpSystem;
  let tenant: TestTenant;
  let web: RegisteredClient;
  let email: string;

  beforeAll(async () => {
    system = await startDpSystem();
    tenant = await system.createTenant('logout');
    web = await system.clients.register(
      tenant.id,
      firstPartyWebApp(APP, { post_logout_redirect_uris: [AFTER] }),
    );
    email = (await tenantApi(system.dp.url, tenant).newUser('logout')).email;
  });
  afterAll(async () => {
    await system.close();
  });

  /** Signs in through the hosted login and redeems the code; returns the ID token. */
  async function signedIn(browser: HostedBrowser): Promise<string> {
    const done = await signInThrough(
      browser,
      { client_id: web.client_id, redirect_uri: APP, response_type: 'code', scope: 'openid' },
      { email, password: PASSWORD },
    );
    const code = new URL(String(done.headers.location)).searchParams.get('code') ?? '';
    const token = await browser.agent
      .post(`${browser.base}/oauth2/token`)
      .set('Authorization', basicHeader(web.client_id, web.client_secret ?? ''))
      .type('form')
      .send(
        new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: APP,
        }).toString(),
      )
      .expect(200);
    return token.body.id_token as string;
  }

  const silent = (browser: HostedBrowser) =>
    browser.authorize({
      client_id: web.client_id,
      redirect_uri: APP,
      response_type: 'code',
      scope: 'openid',
      prompt: 'none',
    });

  it('logs out at once with a hint naming the session, and redirects with state', async () => {
    const browser = hostedBrowser(system.dp.url, tenant);
    const idToken = await signedIn(browser);
    const res = await browser
      .get(
        `${browser.base}/oauth2/end-session?${new URLSearchParams({
          id_token_hint: idToken,
          post_logout_redirect_uri: AFTER,
          state: 'bye',
        }).toString()}`,
      )
      .expect(303);
    expect(res.headers.location).toBe(`${AFTER}?state=bye`);
    const after = await silent(browser).expect(303);
    expect(new URL(String(after.headers.location)).searchParams.get('error')).toBe(
      'login_required',
    );
  });

  it('asks first without a hint; the confirmation POST logs out and shows the signed-out page', async () => {
    const browser = hostedBrowser(system.dp.url, tenant);
    await signedIn(browser);
    const page = await browser.get(`${browser.base}/oauth2/end-session`).expect(200);
    expect(page.text).toContain('Sign out');
    const csrf = hiddenField(page.text, 'csrf');
    await browser.post(`${browser.base}/oauth2/end-session`, { csrf: 'x'.repeat(43) }).expect(403);
    const done = await browser.post(`${browser.base}/oauth2/end-session`, { csrf }).expect(200);
    expect(done.text).toContain('You are signed out');
    const after = await silent(browser).expect(303);
    expect(new URL(String(after.headers.location)).searchParams.get('error')).toBe(
      'login_required',
    );
  });

  it('refuses an unregistered post_logout_redirect_uri with a page, never a redirect', async () => {
    const browser = hostedBrowser(system.dp.url, tenant);
    const queries: Record<string, string>[] = [
      { client_id: web.client_id, post_logout_redirect_uri: 'https://evil.example/' },
      { post_logout_redirect_uri: AFTER },
      { id_token_hint: 'not.a.jwt', post_logout_redirect_uri: AFTER },
    ];
    for (const query of queries) {
      const res = await browser
        .get(`${browser.base}/oauth2/end-session?${new URLSearchParams(query).toString()}`)
        .expect(400);
      expect(res.headers.location).toBeUndefined();
    }
  });
});
