import type { BrowserContextOptions, Page } from 'playwright-core';
import request from 'supertest';
import type { CallbackServer } from '../support/browser/callback-server';
import {
  authorizationRequest,
  landOn,
  redeemCallback,
  submitSignIn,
  useBrowserRig,
} from '../support/browser/hosted-flow';
import { screenshotForDocs } from '../support/browser/screenshots';
import { registerClient, slug, type Registered, type Tenant } from '../support/oauth';
import type { System } from '../support/system';

/**
 * The hosted login in a real browser: Debian's headless Chromium, driven by playwright-core,
 * against both planes started in-process. Relying parties are confidential clients whose
 * loopback redirect URIs are served by a tiny local server; each flow ends there with a code,
 * which openid-client (an independent RP) redeems. With JavaScript on and off, SSO for a second
 * client, consent for a third-party client, a failed sign-in, form_post, sign-out, and Spanish.
 * One tenant (and one user) for this file; a fresh browser context per test.
 */

/** `key` names its redirect URI on the RP server; `name` is what the consent page shows. */
interface App extends Registered {
  name: string;
  key: string;
}

const SLOW = 120_000; // The first Chromium start on a 2-core CI machine.
const PASSWORD = 'a long enough password';
const email = 'ada@example.com'; // The tenant is this file's own.

describe('hosted login in headless Chromium', () => {
  const { rig, profiles } = useBrowserRig({
    origins: (started) => [tenant.issuer, started.rp.origin],
    timeoutMs: SLOW,
  });
  let system: System;
  let rp: CallbackServer;
  let tenant: Tenant;
  let appA: App;
  let appB: App;
  let thirdParty: App;

  async function registerApp(key: string, name: string, firstParty: boolean): Promise<App> {
    const registered = await registerClient(system, tenant, {
      name,
      type: 'confidential',
      grant_types: ['authorization_code', 'refresh_token'],
      redirect_uris: [rp.redirectUri(key)],
      post_logout_redirect_uris: [rp.redirectUri(`${key}-signed-out`)],
      first_party: firstParty,
    });
    return { ...registered, name, key };
  }

  const newContext = (options: BrowserContextOptions = {}) => profiles.newContext(options);

  /** One authorization request, as the RP builds it: PKCE S256, state and nonce. */
  const authorization = (client: App, extra: Record<string, string> = {}) =>
    authorizationRequest(tenant, client, rp.redirectUri(client.key), extra);

  /** Waits for the browser to land on the client's redirect URI; returns its query. */
  const landOnCallback = (page: Page, client: App) => landOn(page, rp.redirectUri(client.key));

  /** The RP's side of the callback: checks iss and state, redeems the code, validates the ID token. */
  const redeem = redeemCallback;

  /** The status of every redirect that answers a form POST (the contract: 303, never 307). */
  function postRedirects(page: Page): number[] {
    const statuses: number[] = [];
    page.on('response', (response) => {
      if (response.request().method() === 'POST' && response.status() >= 300)
        statuses.push(response.status());
    });
    return statuses;
  }

  const emailField = (page: Page) => page.getByLabel('Email address', { exact: true });
  const passwordField = (page: Page) => page.getByLabel('Password', { exact: true });

  const signIn = (page: Page, password = PASSWORD) => submitSignIn(page, email, password);

  beforeAll(async () => {
    ({ system, rp } = rig());
    // Display names as a real deployment would have them: they show in the screenshots.
    tenant = await system.createTenant(slug('browser'), { name: 'Acme' });
    appA = await registerApp('app-a', 'Acme Notes', true);
    appB = await registerApp('app-b', 'Acme Calendar', true);
    thirdParty = await registerApp('partner', 'Partner Analytics', false);
    await request(system.dp.url)
      .post('/v1/auth/sign-up')
      .set('X-Tenant-ID', tenant.slug)
      .send({ email, password: PASSWORD, name: 'Ada Lovelace' })
      .expect(201);
  }, SLOW);

  it(
    'signs in with JavaScript on: labelled fields, a code and the right state at the redirect URI',
    async () => {
      const page = await (await newContext()).newPage();
      const auth = await authorization(appA);
      const response = await page.goto(auth.url);

      expect(new URL(page.url()).pathname).toBe(`/t/${tenant.slug}/login`);
      const headers = (await response?.allHeaders()) ?? {};
      expect(headers['cache-control']).toMatch(/no-store/);
      expect(headers['referrer-policy']).toBe('no-referrer');
      expect(headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      expect(await page.title()).not.toMatch(/^Error:/);
      await expect(emailField(page).getAttribute('name')).resolves.toBe('email');
      await expect(emailField(page).getAttribute('type')).resolves.toBe('email');
      await expect(emailField(page).getAttribute('autocomplete')).resolves.toMatch(/username/);
      await expect(passwordField(page).getAttribute('name')).resolves.toBe('password');
      await expect(passwordField(page).getAttribute('autocomplete')).resolves.toBe(
        'current-password',
      );
      await screenshotForDocs(page, 'hosted-login-sign-in');

      await signIn(page);
      const callback = await landOnCallback(page, appA);
      expect(callback.searchParams.get('state')).toBe(auth.state);
      expect(callback.searchParams.get('iss')).toBe(tenant.issuer);
      expect(callback.searchParams.get('code')).toEqual(expect.any(String));
      // The client's own page shows what it received.
      expect(await page.locator('#state').textContent()).toBe(auth.state);

      const { claims } = await redeem(auth, callback);
      expect(claims).toMatchObject({ iss: tenant.issuer, aud: appA.client_id, email });
    },
    SLOW,
  );

  it(
    'signs in with JavaScript off: plain forms and 303 redirects all the way',
    async () => {
      const page = await (await newContext({ javaScriptEnabled: false })).newPage();
      const redirects = postRedirects(page);
      const auth = await authorization(appA);
      await page.goto(auth.url);
      await expect(emailField(page).count()).resolves.toBe(1);

      await signIn(page);
      const callback = await landOnCallback(page, appA);
      expect(callback.searchParams.get('state')).toBe(auth.state);
      expect(callback.searchParams.get('iss')).toBe(tenant.issuer);
      expect(redirects).toEqual([303]);
      const { claims } = await redeem(auth, callback);
      expect(claims.aud).toBe(appA.client_id);
    },
    SLOW,
  );

  it(
    'gives a second client single sign-on: no form, straight back with a code',
    async () => {
      const context = await newContext();
      const page = await context.newPage();
      const first = await authorization(appA);
      await page.goto(first.url);
      await signIn(page);
      const firstCallback = await landOnCallback(page, appA);
      const { claims: firstClaims } = await redeem(first, firstCallback);
      // The browser session's cookie, as the contract has it on a plain-http issuer.
      const [cookie] = (await context.cookies(tenant.issuer)).filter(
        (c) => c.name === 'hj_session',
      );
      expect(cookie).toMatchObject({
        path: `/t/${tenant.slug}`,
        httpOnly: true,
        sameSite: 'Lax',
      });

      const loginPages: string[] = [];
      page.on('request', (req) => {
        if (new URL(req.url()).pathname.startsWith(`/t/${tenant.slug}/login`))
          loginPages.push(req.url());
      });
      const second = await authorization(appB);
      await page.goto(second.url);
      const callback = await landOnCallback(page, appB);
      expect(loginPages).toEqual([]);
      expect(callback.searchParams.get('state')).toBe(second.state);
      const { claims } = await redeem(second, callback);
      expect(claims.aud).toBe(appB.client_id);
      expect(claims.sub).toBe(firstClaims.sub);
      // The same browser session: one sign-in, shared by both clients.
      expect(claims.sid).toBe(firstClaims.sid);
      expect(claims.auth_time).toBe(firstClaims.auth_time);
    },
    SLOW,
  );

  it(
    'asks for consent for a third-party client; Allow continues and is remembered',
    async () => {
      const page = await (await newContext()).newPage();
      const auth = await authorization(thirdParty);
      await page.goto(auth.url);
      await signIn(page);

      await page.waitForURL((url) => url.pathname === `/t/${tenant.slug}/login/consent`);
      await expect(page.getByText(thirdParty.name).count()).resolves.toBeGreaterThan(0);
      const allow = page.locator('button[name="decision"][value="allow"]');
      const deny = page.locator('button[name="decision"][value="deny"]');
      await expect(allow.count()).resolves.toBe(1);
      await expect(deny.count()).resolves.toBe(1);
      await screenshotForDocs(page, 'hosted-login-consent');

      await allow.click();
      const callback = await landOnCallback(page, thirdParty);
      expect(callback.searchParams.get('state')).toBe(auth.state);
      await redeem(auth, callback);

      // Consent given once covers the same scopes next time.
      const again = await authorization(thirdParty);
      const consentPages: string[] = [];
      page.on('request', (req) => {
        if (new URL(req.url()).pathname.endsWith('/login/consent')) consentPages.push(req.url());
      });
      await page.goto(again.url);
      const second = await landOnCallback(page, thirdParty);
      expect(consentPages).toEqual([]);
      expect(second.searchParams.get('state')).toBe(again.state);
    },
    SLOW,
  );

  it(
    'sends access_denied to the client when consent is denied',
    async () => {
      const page = await (await newContext({ javaScriptEnabled: false })).newPage();
      const auth = await authorization(thirdParty, { prompt: 'consent' });
      await page.goto(auth.url);
      await signIn(page);
      await page.waitForURL((url) => url.pathname === `/t/${tenant.slug}/login/consent`);
      await page.locator('button[name="decision"][value="deny"]').click();
      const callback = await landOnCallback(page, thirdParty);
      expect(callback.searchParams.get('error')).toBe('access_denied');
      expect(callback.searchParams.get('state')).toBe(auth.state);
      expect(callback.searchParams.get('iss')).toBe(tenant.issuer);
      expect(callback.searchParams.get('code')).toBeNull();
    },
    SLOW,
  );

  it(
    'shows the error summary after a failed sign-in, with "Error:" in the title',
    async () => {
      const page = await (await newContext()).newPage();
      const auth = await authorization(appA);
      await page.goto(auth.url);
      await signIn(page, 'not the password');

      await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
      expect(await page.title()).toMatch(/^Error: /);
      // Focus lands on the summary without script (autofocus), and it links to the field.
      await expect(page.locator('[role="alert"]:focus').count()).resolves.toBe(1);
      await expect(
        page.getByRole('link', { name: 'Incorrect email or password.' }).getAttribute('href'),
      ).resolves.toBe('#email');
      await expect(
        page.getByText('Incorrect email or password.').first().isVisible(),
      ).resolves.toBe(true);
      // The email is kept, the password is not.
      await expect(emailField(page).inputValue()).resolves.toBe(email);
      await expect(passwordField(page).inputValue()).resolves.toBe('');
      await expect(passwordField(page).getAttribute('aria-invalid')).resolves.toBe('true');
      await screenshotForDocs(page, 'hosted-login-error');

      // And the right password still gets through from the error page.
      await signIn(page);
      const callback = await landOnCallback(page, appA);
      expect(callback.searchParams.get('state')).toBe(auth.state);
    },
    SLOW,
  );

  it(
    'answers with response_mode=form_post: auto-submitted with JavaScript, a button without',
    async () => {
      for (const javaScriptEnabled of [true, false]) {
        const page = await (await newContext({ javaScriptEnabled })).newPage();
        const auth = await authorization(appA, { response_mode: 'form_post' });
        await page.goto(auth.url);
        await signIn(page);
        if (!javaScriptEnabled) {
          await page.getByRole('button', { name: 'Continue', exact: true }).click();
        }
        await page.waitForURL(rp.redirectUri(appA.key));
        const posted = rp.received.at(-1)?.params;
        expect(posted?.get('state')).toBe(auth.state);
        expect(posted?.get('iss')).toBe(tenant.issuer);
        await redeem(auth, new URL(`${rp.redirectUri(appA.key)}?${String(posted)}`));
      }
    },
    SLOW,
  );

  it(
    'ends single sign-on at the end-session endpoint',
    async () => {
      const page = await (await newContext()).newPage();
      const auth = await authorization(appA);
      await page.goto(auth.url);
      await signIn(page);
      await landOnCallback(page, appA);

      await page.goto(`${tenant.issuer}/oauth2/end-session?client_id=${appA.client_id}`);
      await page.getByRole('button', { name: 'Sign out', exact: true }).click();
      await page.getByRole('heading', { name: 'You are signed out' }).waitFor();

      const silent = await authorization(appA, { prompt: 'none' });
      await page.goto(silent.url);
      const callback = await landOnCallback(page, appA);
      expect(callback.searchParams.get('error')).toBe('login_required');
      expect(callback.searchParams.get('state')).toBe(silent.state);
    },
    SLOW,
  );

  it(
    'confirms sign-out and returns to the registered post-logout URI',
    async () => {
      // The confirmation POST ends in a 303 to the client: CSP form-action must allow it.
      const page = await (await newContext({ javaScriptEnabled: false })).newPage();
      const auth = await authorization(appA);
      await page.goto(auth.url);
      await signIn(page);
      await landOnCallback(page, appA);

      const signedOut = rp.redirectUri(`${appA.key}-signed-out`);
      const query = new URLSearchParams({
        client_id: appA.client_id,
        post_logout_redirect_uri: signedOut,
        state: 'bye-42',
      });
      await page.goto(`${tenant.issuer}/oauth2/end-session?${String(query)}`);
      await page.getByRole('button', { name: 'Sign out', exact: true }).click();
      await page.waitForURL((url) => url.href.startsWith(signedOut));
      expect(new URL(page.url()).searchParams.get('state')).toBe('bye-42');

      const silent = await authorization(appA, { prompt: 'none' });
      await page.goto(silent.url);
      const callback = await landOnCallback(page, appA);
      expect(callback.searchParams.get('error')).toBe('login_required');
    },
    SLOW,
  );

  it(
    'speaks Spanish to an es-ES browser',
    async () => {
      const page = await (await newContext({ locale: 'es-ES' })).newPage();
      const auth = await authorization(appA);
      await page.goto(auth.url);
      expect(await page.locator('html').getAttribute('lang')).toBe('es');
      await page.getByLabel('Correo electrónico', { exact: true }).fill(email);
      await page.getByLabel('Contraseña', { exact: true }).fill('not the password');
      await page.getByRole('button', { name: 'Continuar', exact: true }).click();
      await page.getByRole('heading', { name: 'Hay un problema' }).waitFor();
      expect(await page.title()).toMatch(/^Error: /);
      await expect(
        page.getByText('Correo electrónico o contraseña incorrectos.').first().isVisible(),
      ).resolves.toBe(true);
    },
    SLOW,
  );
});
