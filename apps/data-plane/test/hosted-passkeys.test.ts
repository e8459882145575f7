import { createHash } from 'node:crypto';
import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { PASSWORD, tenantApi, uniqueEmail, type TenantApi } from './support/auth-client';
import { startDpSystem, type DpSystem, type TestTenant } from './support/dp-system';
import { firstPartyWebApp, type RegisteredClient } from './support/fake-clients';
import {
  formTokens,
  hostedBrowser,
  signInThrough,
  type HostedBrowser,
} from './support/hosted-browser';
import { tenantDb } from './support/oidc-fixtures';
import { createSoftAuthenticator, type SoftAuthenticator } from './support/soft-authenticator';

jest.setTimeout(60_000);

const APP = 'https://app.example.com/cb';

/**
 * Passkeys in the hosted login over HTTP, as the page script drives them (docs/hosted-login.md,
 * "Passkeys"): the sign-in page's options and assertion form, the code flow with amr, the "add a
 * passkey" offer after sign-in and sign-up, "Not now", CSRF, and the static scripts with the CSP
 * that lets them run. A software authenticator signs real ES256 assertions.
 */
describe('hosted login: passkeys', () => {
  let system: DpSystem;
  let tenant: TestTenant;
  let api: TenantApi;
  let web: RegisteredClient;
  let origin: string;

  beforeAll(async () => {
    system = await startDpSystem();
    tenant = await system.createTenant('hosted-passkeys');
    api = tenantApi(system.dp.url, tenant);
    web = await system.clients.register(tenant.id, firstPartyWebApp(APP));
    origin = new URL(system.dp.deps.config.publicUrl).origin;
  });
  afterAll(async () => {
    await system.close();
  });

  const webParams = () => ({
    client_id: web.client_id,
    redirect_uri: APP,
    response_type: 'code',
    scope: 'openid email',
    state: 'st',
    nonce: 'n',
  });

  /** A user registered through the JSON API, with a passkey on a fresh authenticator. */
  async function userWithPasskey(prefix: string) {
    const user = await api.newUser(prefix);
    const authenticator = createSoftAuthenticator({ origin });
    const options = await api
      .post(
        '/v1/mfa/webauthn/registration/options',
        { password: PASSWORD },
        user.tokens.access_token,
      )
      .expect(200);
    const { json } = authenticator.register(options.body as PublicKeyCredentialCreationOptionsJSON);
    await api
      .post('/v1/mfa/webauthn/registration', { response: json }, user.tokens.access_token)
      .expect(201);
    return { user, authenticator };
  }

  /** /authorize to the sign-in page: its text and form tokens. */
  async function signInPage(browser: HostedBrowser, extra: Record<string, string> = {}) {
    const start = await browser.authorize({ ...webParams(), ...extra }).expect(303);
    const page = await browser.get(String(start.headers.location)).expect(200);
    return { page, tokens: formTokens(page.text) };
  }

  async function codeRow(location: string) {
    const code = new URL(location).searchParams.get('code') ?? '';
    return tenantDb(system, tenant).authorizationCodes.findByHash(
      createHash('sha256').update(code).digest('hex'),
    );
  }

  /** The sign-in page's script: options, the authenticator, the hidden form. */
  async function passkeySignIn(
    browser: HostedBrowser,
    authenticator: SoftAuthenticator,
    overrides: Parameters<SoftAuthenticator['assert']>[1] = {},
  ) {
    const { tokens } = await signInPage(browser);
    const options = await browser
      .post(`${browser.base}/login/passkey/options`, tokens)
      .expect(200)
      .expect('Content-Type', /json/);
    const request = options.body as PublicKeyCredentialRequestOptionsJSON;
    const response = authenticator.assert(request, overrides);
    const answer = await browser
      .post(`${browser.base}/login/passkey`, { ...tokens, response: JSON.stringify(response) })
      .expect(303);
    return { tokens, request, response, location: String(answer.headers.location) };
  }

  it('shows a hidden passkey button, autofill on the email field, and scripts the CSP allows', async () => {
    const browser = hostedBrowser(system.dp.url, tenant);
    const { page } = await signInPage(browser);
    expect(page.text).toMatch(/<section\s+id="passkey-sign-in"[^>]*\shidden\s*>/);
    expect(page.text).toContain('autocomplete="username webauthn"');
    expect(page.text).toContain('Sign in with a passkey');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    // No inline script: every <script> names a file of this origin.
    const scripts = [...page.text.matchAll(/<script([^>]*)>/g)].map((m) => m[1] ?? '');
    expect(scripts).toHaveLength(2);
    for (const attributes of scripts) {
      expect(attributes).toMatch(new RegExp(`src="${browser.base}/login/assets/[\\w.-]+\\.js"`));
    }
  });

  it('serves the scripts with a long cache, an ETag and immutable names; nothing else', async () => {
    const browser = hostedBrowser(system.dp.url, tenant);
    const { page } = await signInPage(browser);
    const sources = [...page.text.matchAll(/<script defer src="([^"]+)"/g)].map((m) => m[1] ?? '');
    const bodies: string[] = [];
    for (const src of sources) {
      const res = await browser.get(src).expect(200);
      expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      const etag = String(res.headers['etag']);
      await browser.get(src).set('If-None-Match', etag).expect(304);
      bodies.push(res.text);
    }
    expect(bodies[0]).toContain('SimpleWebAuthnBrowser');
    expect(bodies[1]).toContain('data-passkey');
    await browser.get(`${browser.base}/login/assets/passkeys.0000000000000000.js`).expect(404);
    await browser.get(`${browser.base}/login/assets/..%2Fpackage.json`).expect(404);
  });

  it('signs in with a passkey: options, assertion, browser session, code with amr', async () => {
    const { user, authenticator } = await userWithPasskey('pk-sign-in');
    const browser = hostedBrowser(system.dp.url, tenant);
    const { request, location } = await passkeySignIn(browser, authenticator);
    // Discoverable: the options name no account.
    expect(request.allowCredentials ?? []).toEqual([]);
    expect(request.userVerification).toBe('required');
    expect(location.startsWith(`${APP}?`)).toBe(true);
    expect(await codeRow(location)).toMatchObject({
      userId: user.id,
      amr: ['hwk', 'user', 'mfa'],
      acr: expect.stringMatching(/2$/) as unknown,
    });
    // The browser session it started serves the next authorization without a page (SSO).
    const again = await browser.authorize(webParams()).expect(303);
    expect(String(again.headers.location).startsWith(`${APP}?`)).toBe(true);
  });

  it('sends a refused assertion back to the sign-in page with one message; no replay', async () => {
    const { authenticator } = await userWithPasskey('pk-refused');
    const browser = hostedBrowser(system.dp.url, tenant);
    const wrong = await passkeySignIn(browser, authenticator, { origin: 'https://evil.example' });
    expect(wrong.location).toBe(`${browser.base}/login?tx=${wrong.tokens.tx}&error=passkey`);
    const page = await browser.get(wrong.location).expect(200);
    expect(page.text).toContain('<title>Error: Sign in');
    expect(page.text).toContain('We couldn&#39;t sign you in with a passkey.');
    expect(page.text).toContain('href="#passkey-sign-in-button"');

    const good = await passkeySignIn(hostedBrowser(system.dp.url, tenant), authenticator);
    expect(good.location.startsWith(`${APP}?`)).toBe(true);
    // The same answer again: its challenge is spent.
    const replayer = hostedBrowser(system.dp.url, tenant);
    const { tokens } = await signInPage(replayer);
    const replay = await replayer
      .post(`${replayer.base}/login/passkey`, {
        ...tokens,
        response: JSON.stringify(good.response),
      })
      .expect(303);
    expect(String(replay.headers.location)).toContain('error=passkey');
    // Not JSON at all: the same answer.
    const junk = await replayer
      .post(`${replayer.base}/login/passkey`, { ...tokens, response: '{not json' })
      .expect(303);
    expect(String(junk.headers.location)).toContain('error=passkey');
  });

  it('refuses options and assertions without the CSRF token of this browser', async () => {
    const { authenticator } = await userWithPasskey('pk-csrf');
    const browser = hostedBrowser(system.dp.url, tenant);
    const { tokens } = await signInPage(browser);
    const forged = { ...tokens, csrf: 'A'.repeat(43) };
    const options = await browser.post(`${browser.base}/login/passkey/options`, forged).expect(403);
    expect(options.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(options.body).toMatchObject({ code: 'forbidden' });
    // Another site's page posting with a right token.
    await browser
      .post(`${browser.base}/login/passkey/options`, tokens, { Origin: 'https://evil.example' })
      .expect(403);
    const good = await browser.post(`${browser.base}/login/passkey/options`, tokens).expect(200);
    const response = authenticator.assert(good.body as PublicKeyCredentialRequestOptionsJSON);
    const page = await browser
      .post(`${browser.base}/login/passkey`, { ...forged, response: JSON.stringify(response) })
      .expect(403);
    expect(page.text).toContain('This form has expired');
    // Another browser (another interaction cookie) cannot use this page's token either.
    const other = hostedBrowser(system.dp.url, tenant);
    await other.post(`${other.base}/login/passkey/options`, tokens).expect(403);
    // Options for a transaction that does not exist.
    await browser
      .post(`${browser.base}/login/passkey/options`, { ...tokens, tx: 'x'.repeat(43) })
      .expect(400);
  });

  /** Password sign-in from a browser whose script said it can use passkeys. */
  async function passwordSignIn(browser: HostedBrowser, email: string, passkeys = '1') {
    // prompt=login: a browser that is signed in already still gets the sign-in page.
    const { tokens } = await signInPage(browser, { prompt: 'login' });
    const res = await browser
      .post(`${browser.base}/login`, { ...tokens, email, password: PASSWORD, passkeys })
      .expect(303);
    return { tokens, location: String(res.headers.location) };
  }

  it('offers a passkey after a password sign-in, registers it, shows recovery codes, continues', async () => {
    const user = await api.newUser('pk-offer');
    const browser = hostedBrowser(system.dp.url, tenant);
    const { tokens, location } = await passwordSignIn(browser, user.email);
    expect(location).toBe(`${browser.base}/login/passkey/enrol?tx=${tokens.tx}`);
    const offer = await browser.get(location).expect(200);
    expect(offer.text).toContain('Sign in faster next time');
    expect(offer.text).toMatch(/<section\s+id="passkey-enrol"[^>]*\shidden\s*>/);
    // Without JavaScript, "Continue" is the one visible way on.
    expect(offer.text).toMatch(/<form[^>]*data-passkey-without[\s\S]*?Continue/);
    const form = formTokens(offer.text);
    const options = await browser
      .post(`${browser.base}/login/passkey/enrol/options`, form)
      .expect(200);
    const creation = options.body as PublicKeyCredentialCreationOptionsJSON;
    expect(creation.user.name).toBe(user.email);
    const authenticator = createSoftAuthenticator({ origin });
    const { json } = authenticator.register(creation);
    const added = await browser
      .post(`${browser.base}/login/passkey/enrol`, { ...form, response: JSON.stringify(json) })
      .expect(200);
    expect(added.text).toContain('Your passkey is ready');
    // Its first second factor: ten recovery codes, shown this once.
    expect([...added.text.matchAll(/<li><code>/g)]).toHaveLength(10);
    const done = await browser
      .post(`${browser.base}/login/passkey/enrol`, formTokens(added.text))
      .expect(303);
    expect(String(done.headers.location).startsWith(`${APP}?`)).toBe(true);
    expect(await codeRow(String(done.headers.location))).toMatchObject({
      userId: user.id,
      amr: ['pwd'],
    });
    // The new passkey signs in.
    const withPasskey = await passkeySignIn(hostedBrowser(system.dp.url, tenant), authenticator);
    expect(await codeRow(withPasskey.location)).toMatchObject({ userId: user.id });
    // A user with a passkey is not offered another.
    const later = await passwordSignIn(hostedBrowser(system.dp.url, tenant), user.email);
    expect(later.location).not.toContain('/passkey/enrol');
  });

  it('refuses a created credential that does not verify, on the offer page again', async () => {
    const user = await api.newUser('pk-offer-bad');
    const browser = hostedBrowser(system.dp.url, tenant);
    const { location } = await passwordSignIn(browser, user.email);
    const offer = await browser.get(location).expect(200);
    const form = formTokens(offer.text);
    const options = await browser
      .post(`${browser.base}/login/passkey/enrol/options`, form)
      .expect(200);
    const { json } = createSoftAuthenticator({ origin }).register(
      options.body as PublicKeyCredentialCreationOptionsJSON,
      { origin: 'https://evil.example' },
    );
    const failed = await browser
      .post(`${browser.base}/login/passkey/enrol`, { ...form, response: JSON.stringify(json) })
      .expect(400);
    expect(failed.text).toContain('<title>Error: Sign in faster next time');
    expect(failed.text).toContain('We couldn&#39;t add the passkey.');
    const factors = await tenantDb(system, tenant).mfaFactors.listByUser(user.id, {});
    expect(factors).toHaveLength(0);
  });

  it('remembers "Not now" in this browser for 30 days, and offers nothing without the script', async () => {
    const user = await api.newUser('pk-not-now');
    const browser = hostedBrowser(system.dp.url, tenant);
    const { location } = await passwordSignIn(browser, user.email);
    const offer = await browser.get(location).expect(200);
    const later = await browser
      .post(`${browser.base}/login/passkey/enrol`, formTokens(offer.text))
      .expect(303);
    expect(String(later.headers.location).startsWith(`${APP}?`)).toBe(true);
    const cookie = ([] as string[])
      .concat(later.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith('hj_passkey_later='));
    expect(cookie).toMatch(/Max-Age=2592000/);
    expect(cookie).toMatch(/HttpOnly/i);
    // Signed out (a new session cookie would do) and back: no offer in this browser.
    const again = await passwordSignIn(browser, user.email);
    expect(again.location.startsWith(`${APP}?`)).toBe(true);
    // Another browser whose script did not run (no JavaScript, or no WebAuthn): no offer.
    const plain = await signInThrough(hostedBrowser(system.dp.url, tenant), webParams(), {
      email: user.email,
      password: PASSWORD,
    });
    expect(String(plain.headers.location).startsWith(`${APP}?`)).toBe(true);
    // And the offer page needs a signed-in browser.
    const stranger = hostedBrowser(system.dp.url, tenant);
    const { tokens } = await signInPage(stranger);
    const away = await stranger.get(`${stranger.base}/login/passkey/enrol?tx=${tokens.tx}`);
    expect(away.status).toBe(303);
    expect(String(away.headers.location)).toBe(`${stranger.base}/login?tx=${tokens.tx}`);
    await stranger.post(`${stranger.base}/login/passkey/enrol/options`, tokens).expect(403);
  });

  it('offers a passkey after a hosted sign-up', async () => {
    const browser = hostedBrowser(system.dp.url, tenant);
    const { tokens } = await signInPage(browser);
    const page = await browser.get(`${browser.base}/login/sign-up?tx=${tokens.tx}`).expect(200);
    expect(page.text).toContain('name="passkeys"');
    const res = await browser
      .post(`${browser.base}/login/sign-up`, {
        ...formTokens(page.text),
        email: uniqueEmail('pk-sign-up'),
        password: PASSWORD,
        passkeys: '1',
      })
      .expect(303);
    expect(String(res.headers.location)).toBe(
      `${browser.base}/login/passkey/enrol?tx=${tokens.tx}`,
    );
  });

  it('uses a passkey as the second factor on the MFA page', async () => {
    const { user, authenticator } = await userWithPasskey('pk-factor');
    const browser = hostedBrowser(system.dp.url, tenant);
    // The passkey is a confirmed factor: the password alone leads to the MFA page.
    const { location } = await passwordSignIn(browser, user.email);
    expect(location).toMatch(new RegExp(`^${browser.base}/login/mfa\\?tx=`));
    const page = await browser.get(location).expect(200);
    expect(page.text).toMatch(/<section\s+id="passkey-factor"[^>]*\shidden[\s>]/);
    expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'");
    const tokens = formTokens(page.text);
    // What the script posts: the section form's fields but `response`.
    const fields = { ...tokens, factor: 'webauthn' };
    await browser
      .post(`${browser.base}/login/mfa/passkey/options`, { ...fields, csrf: 'A'.repeat(43) })
      .expect(403);
    const options = await browser
      .post(`${browser.base}/login/mfa/passkey/options`, fields)
      .expect(200);
    const request = options.body as PublicKeyCredentialRequestOptionsJSON;
    // The mfa_token lives in the signing-in browser's cookie: another browser, with a form of
    // its own, gets nothing.
    const stranger = hostedBrowser(system.dp.url, tenant);
    const { tokens: own } = await signInPage(stranger);
    const bare = await stranger
      .post(`${stranger.base}/login/mfa/passkey/options`, { ...own, factor: 'webauthn' })
      .expect(401);
    expect(bare.body).toMatchObject({ code: 'mfa_token_invalid' });
    // A second factor names the user's passkeys.
    expect(request.allowCredentials?.map((c) => c.id)).toEqual([
      Buffer.from(authenticator.credentials[0]?.id ?? []).toString('base64url'),
    ]);
    const done = await browser
      .post(`${browser.base}/login/mfa`, {
        ...fields,
        response: JSON.stringify(authenticator.assert(request)),
      })
      .expect(303);
    const callback = String(done.headers.location);
    expect(callback.startsWith(`${APP}?`)).toBe(true);
    const row = await codeRow(callback);
    expect(row?.userId).toBe(user.id);
    expect(row?.amr).toEqual(expect.arrayContaining(['pwd', 'hwk', 'mfa']));
  });
});
