import { createHash } from 'node:crypto';
import request from 'supertest';
import { PASSWORD, tenantApi, type TenantApi } from './support/auth-client';
import { startDpSystem, type DpSystem, type TestTenant } from './support/dp-system';
import type { RegisteredClient } from './support/fake-clients';
import {
  formTokens,
  hostedBrowser,
  signInThrough,
  type HostedBrowser,
} from './support/hosted-browser';
import { pkcePair, tenantDb } from './support/oidc-fixtures';

jest.setTimeout(60_000);

const APP = 'https://app.example.com/cb';
const SPA = 'https://spa.example.com/cb';

/**
 * The hosted login over HTTP on the embedded default (SQLite, in-process bus), with a fake control
 * plane serving the clients: /authorize, the sign-in and consent pages, SSO, prompt and max_age.
 */
describe('hosted login: authorize, sign in, consent', () => {
  let system: DpSystem;
  let tenant: TestTenant;
  let api: TenantApi;
  /** Confidential, first-party: no consent page. */
  let web: RegisteredClient;
  /** Public, third-party: PKCE required, consent shown. */
  let spa: RegisteredClient;
  let user: { id: string; email: string };

  beforeAll(async () => {
    system = await startDpSystem();
    tenant = await system.createTenant('login');
    api = tenantApi(system.dp.url, tenant);
    web = await system.clients.register(tenant.id, {
      type: 'confidential',
      grant_types: ['authorization_code', 'refresh_token'],
      redirect_uris: [APP, 'http://127.0.0.1/native'],
      settings: { first_party: true },
    });
    spa = await system.clients.register(tenant.id, {
      type: 'public',
      grant_types: ['authorization_code'],
      redirect_uris: [SPA],
    });
    user = await api.newUser('hosted');
  });
  afterAll(async () => {
    await system.close();
  });

  const webParams = (extra: Record<string, string> = {}) => ({
    client_id: web.client_id,
    redirect_uri: APP,
    response_type: 'code',
    scope: 'openid profile email',
    state: 'st-1',
    nonce: 'n-1',
    ...extra,
  });

  /** The hosted sign-in as the test user; returns the 303. */
  const signIn = (
    browser: HostedBrowser,
    params: Record<string, string>,
    password = PASSWORD,
    status = 303,
  ) => signInThrough(browser, params, { email: user.email, password }, status);

  function codeOf(location: string, redirectUri = APP): URLSearchParams {
    const url = new URL(location);
    expect(`${url.origin}${url.pathname}`).toBe(redirectUri);
    return url.searchParams;
  }

  async function codeRow(code: string) {
    return tenantDb(system, tenant).authorizationCodes.findByHash(
      createHash('sha256').update(code).digest('hex'),
    );
  }

  it('signs in, then redirects with a code, state and iss (303); the code is stored', async () => {
    const browser = hostedBrowser(system.dp.url, tenant);
    const done = await signIn(browser, webParams());
    const params = codeOf(String(done.headers.location));
    expect(params.get('state')).toBe('st-1');
    expect(params.get('iss')).toBe(tenant.issuer);
    const code = params.get('code') ?? '';
    expect(code).toMatch(/^[\w-]{43}$/);
    const row = await codeRow(code);
    expect(row).toMatchObject({
      clientId: web.client_id,
      userId: user.id,
      redirectUri: APP,
      scope: 'openid profile email',
      nonce: 'n-1',
      amr: ['pwd'],
    });
    // Chromium applies form-action to the redirect after the POST: the page allowed the client.
    const page = await browser.authorize(webParams({ prompt: 'login' })).expect(303);
    const login = await browser.get(String(page.headers.location)).expect(200);
    expect(login.headers['content-security-policy']).toContain(
      "form-action 'self' https://app.example.com",
    );
    expect(login.headers['referrer-policy']).toBe('no-referrer');
    expect(login.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('sets the SSO cookie HttpOnly, SameSite=Lax, scoped to the tenant on http', async () => {
    const browser = hostedBrowser(system.dp.url, tenant);
    const done = await signIn(browser, webParams());
    const cookies = ([] as string[]).concat(done.headers['set-cookie'] ?? []);
    const session = cookies.find((c) => c.startsWith('hj_session='));
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Lax/i);
    expect(session).toContain(`Path=/t/${tenant.slug}`);
  });

  it('signs in again without a password (SSO); prompt=none succeeds silently', async () => {
    const browser = hostedBrowser(system.dp.url, tenant);
    await signIn(browser, webParams());
    const again = await browser.authorize(webParams({ state: 'st-2' })).expect(303);
    const second = codeOf(String(again.headers.location));
    expect(second.get('state')).toBe('st-2');
    const silent = await browser.authorize(webParams({ prompt: 'none' })).expect(303);
    expect(codeOf(String(silent.headers.location)).get('code')).toBeTruthy();
  });

  it('prompt=none without a session answers login_required at the redirect URI', async () => {
    const browser = hostedBrowser(system.dp.url, tenant);
    const res = await browser.authorize(webParams({ prompt: 'none' })).expect(303);
    const params = codeOf(String(res.headers.location));
    expect(params.get('error')).toBe('login_required');
    expect(params.get('state')).toBe('st-1');
    expect(params.get('iss')).toBe(tenant.issuer);
  });

  it('prompt=login and max_age=0 ask for the password again; auth_time moves on', async () => {
    const browser = hostedBrowser(system.dp.url, tenant);
    const first = await signIn(browser, webParams());
    const before = await codeRow(codeOf(String(first.headers.location)).get('code') ?? '');
    const extras: Record<string, string>[] = [{ prompt: 'login' }, { max_age: '0' }];
    for (const extra of extras) {
      const res = await browser.authorize(webParams(extra)).expect(303);
      expect(String(res.headers.location)).toContain('/login?tx=');
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
    const again = await signIn(browser, webParams({ prompt: 'login' }));
    const after = await codeRow(codeOf(String(again.headers.location)).get('code') ?? '');
    expect(after?.authTime.getTime()).toBeGreaterThanOrEqual(before?.authTime.getTime() ?? 0);
    expect(after?.sessionId).toBe(before?.sessionId);
    // A large max_age is satisfied by the session.
    const kept = await browser.authorize(webParams({ max_age: '10000' })).expect(303);
    expect(codeOf(String(kept.headers.location)).get('code')).toBeTruthy();
  });

  it('answers the same page for an unknown email and a wrong password (no enumeration)', async () => {
    const browser = hostedBrowser(system.dp.url, tenant);
    const wrong = await signIn(browser, webParams(), 'not the password', 401);
    expect(wrong.text).toContain('Incorrect email or password.');
    expect(wrong.text).toContain('There is a problem');
    expect(wrong.text).toMatch(/<title>Error: Sign in/);
    expect(wrong.text).toContain('href="#email"');
    expect(wrong.headers['content-type']).toMatch(/text\/html/);
  });

  it('pre-fills login_hint, and speaks Spanish for ui_locales=es', async () => {
    const browser = hostedBrowser(system.dp.url, tenant);
    const start = await browser
      .authorize(webParams({ login_hint: 'hint@example.com', ui_locales: 'es-MX' }))
      .expect(303);
    const page = await browser.get(String(start.headers.location)).expect(200);
    expect(page.text).toContain('value="hint@example.com"');
    expect(page.text).toContain('<html lang="es">');
    expect(page.text).toContain('autocomplete="current-password"');
    expect(page.text).toContain('novalidate');
  });

  it('refuses a form without the right CSRF token, or from another site (403 page)', async () => {
    const browser = hostedBrowser(system.dp.url, tenant);
    const start = await browser.authorize(webParams()).expect(303);
    const page = await browser.get(String(start.headers.location)).expect(200);
    const { tx, csrf } = formTokens(page.text);
    const form = { tx, email: user.email, password: PASSWORD };
    await browser.post(`${browser.base}/login`, { ...form, csrf: 'x'.repeat(43) }).expect(403);
    await browser
      .post(`${browser.base}/login`, { ...form, csrf }, { Origin: 'https://evil.example' })
      .expect(403);
    // Another browser (no interaction cookie) cannot replay the token.
    const other = hostedBrowser(system.dp.url, tenant);
    await other.post(`${other.base}/login`, { ...form, csrf }).expect(403);
    // The right token from the same browser still works (nothing was spent).
    await browser.post(`${browser.base}/login`, { ...form, csrf }).expect(303);
  });

  it('shows consent to a third-party client, remembers it, and answers deny with access_denied', async () => {
    const browser = hostedBrowser(system.dp.url, tenant);
    const { challenge } = pkcePair();
    const spaParams = {
      client_id: spa.client_id,
      redirect_uri: SPA,
      response_type: 'code',
      scope: 'openid email',
      state: 'spa',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    };
    const toConsent = await signIn(browser, spaParams);
    const consentUrl = String(toConsent.headers.location);
    expect(consentUrl).toContain('/login/consent?tx=');
    const page = await browser.get(consentUrl).expect(200);
    expect(page.text).toContain('See your email address');
    expect(page.text).toContain('spa.example.com');
    expect(page.text).toContain('value="allow"');
    const allowed = await browser
      .post(`${browser.base}/login/consent`, { ...formTokens(page.text), decision: 'allow' })
      .expect(303);
    expect(codeOf(String(allowed.headers.location), SPA).get('code')).toBeTruthy();
    // Remembered: the next request goes straight back with a code.
    const again = await browser.authorize(spaParams).expect(303);
    expect(codeOf(String(again.headers.location), SPA).get('code')).toBeTruthy();
    // prompt=consent shows it again; deny answers access_denied.
    const forced = await browser.authorize({ ...spaParams, prompt: 'consent' }).expect(303);
    const second = await browser.get(String(forced.headers.location)).expect(200);
    const denied = await browser
      .post(`${browser.base}/login/consent`, { ...formTokens(second.text), decision: 'deny' })
      .expect(303);
    const params = codeOf(String(denied.headers.location), SPA);
    expect(params.get('error')).toBe('access_denied');
    expect(params.get('state')).toBe('spa');
    // A scope not yet granted with prompt=none: consent_required.
    const silent = await browser
      .authorize({ ...spaParams, scope: 'openid profile', prompt: 'none' })
      .expect(303);
    expect(codeOf(String(silent.headers.location), SPA).get('error')).toBe('consent_required');
  });

  it('redirects invalid_request when a public client sends no PKCE, and refuses plain', async () => {
    const browser = hostedBrowser(system.dp.url, tenant);
    const base = { client_id: spa.client_id, redirect_uri: SPA, response_type: 'code', state: 'p' };
    const missing = await browser.authorize(base).expect(303);
    expect(codeOf(String(missing.headers.location), SPA).get('error')).toBe('invalid_request');
    const plain = await browser
      .authorize({ ...base, code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' })
      .expect(303);
    expect(codeOf(String(plain.headers.location), SPA).get('error')).toBe('invalid_request');
  });

  it('answers other request errors at the redirect URI', async () => {
    const browser = hostedBrowser(system.dp.url, tenant);
    const cases: [Record<string, string>, string][] = [
      [{ response_type: 'token' }, 'unsupported_response_type'],
      [{ scope: 'openid admin:everything' }, 'invalid_scope'],
      [{ prompt: 'none login' }, 'invalid_request'],
      [{ max_age: '-1' }, 'invalid_request'],
      [{ request: 'eyJ...' }, 'request_not_supported'],
      [{ request_uri: 'https://x.example/r' }, 'request_uri_not_supported'],
    ];
    for (const [extra, error] of cases) {
      const res = await browser.authorize(webParams(extra)).expect(303);
      expect({ extra, error: codeOf(String(res.headers.location)).get('error') }).toEqual({
        extra,
        error,
      });
    }
    const missingType = { ...webParams() } as Record<string, string>;
    delete missingType['response_type'];
    const res = await browser.authorize(missingType).expect(303);
    expect(codeOf(String(res.headers.location)).get('error')).toBe('invalid_request');
  });

  it('never redirects for an unknown client or an unregistered redirect URI (400 page)', async () => {
    const browser = hostedBrowser(system.dp.url, tenant);
    for (const params of [
      webParams({ client_id: 'hjc_unknown' }),
      webParams({ redirect_uri: 'https://evil.example/cb' }),
      webParams({ redirect_uri: `${APP}/extra` }),
      { client_id: web.client_id, response_type: 'code' },
    ]) {
      const res = await browser.authorize(params).expect(400);
      expect(res.headers.location).toBeUndefined();
      expect(res.headers['content-type']).toMatch(/text\/html/);
    }
  });

  it('lets a loopback redirect URI use any port (RFC 8252 §7.3)', async () => {
    const browser = hostedBrowser(system.dp.url, tenant);
    const res = await browser
      .authorize(webParams({ redirect_uri: 'http://127.0.0.1:53111/native', prompt: 'none' }))
      .expect(303);
    expect(String(res.headers.location)).toMatch(/^http:\/\/127\.0\.0\.1:53111\/native\?/);
  });

  it('answers response_mode=form_post with a self-submitting form that works without script', async () => {
    const browser = hostedBrowser(system.dp.url, tenant);
    const res = await browser
      .authorize(webParams({ prompt: 'none', response_mode: 'form_post' }))
      .expect(200);
    expect(res.text).toContain(`action="${APP}"`);
    expect(res.text).toContain('name="error" value="login_required"');
    expect(res.text).toContain('<button type="submit">');
    expect(res.headers['content-security-policy']).toMatch(/script-src 'sha256-/);
  });

  it('accepts the authorization request as a form POST', async () => {
    const browser = hostedBrowser(system.dp.url, tenant);
    const res = await browser.post(`${browser.base}/oauth2/authorize`, webParams()).expect(303);
    expect(String(res.headers.location)).toContain('/login?tx=');
  });

  it('answers garbage with 4xx pages, never 5xx', async () => {
    const browser = hostedBrowser(system.dp.url, tenant);
    const base = browser.base;
    const probes = [
      browser.get(`${base}/login?tx=nope`),
      browser.get(`${base}/login`),
      browser.get(`${base}/login/consent?tx=${'a'.repeat(43)}`),
      browser.get(`${base}/oauth2/authorize?client_id=a&client_id=b`),
      browser.get(`${base}/oauth2/authorize?client_id=%ff`),
      browser.post(`${base}/login`, { tx: 'x', csrf: 'y' }),
      browser.post(`${base}/login/consent`, { tx: 'x', csrf: 'y', decision: 'maybe' }),
      request(system.dp.url).post(`${base}/login`).send('{"a":1}').type('json'),
    ];
    for (const probe of probes) {
      const res = await probe;
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
  });
});
