import { Secret, TOTP } from 'otpauth';
import request from 'supertest';
import { PASSWORD, tenantApi, type TenantApi } from './support/auth-client';
import { startDpSystem, type DpSystem, type TestTenant } from './support/dp-system';
import type { RegisteredClient } from './support/fake-clients';
import {
  formTokens,
  hiddenField,
  hostedBrowser,
  signInThrough,
  type HostedBrowser,
} from './support/hosted-browser';
import {
  codeIn,
  linkTokenIn,
  startMailCatcher,
  type MailCatcher,
  mailEnv,
} from './support/mail-catcher';
import { basicHeader } from './support/oauth-client';
import { tenantDb } from './support/oidc-fixtures';

jest.setTimeout(60_000);

const APP = 'https://app.example.com/cb';
const LOA1 = 'urn:hellojohn:loa:1';
const LOA2 = 'urn:hellojohn:loa:2';
const PAPE = 'http://schemas.openid.net/pape/policies/2007/06/multi-factor';

/** The claims of a JWT, unverified (the tests only read what the server put there). */
function claimsOf(jwt: string): Record<string, unknown> {
  const payload = jwt.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** The code an authenticator app shows for `secret`, `stepsAhead` periods from now. */
function totpCode(secret: string, stepsAhead = 0): string {
  const totp = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6 });
  return totp.generate({ timestamp: Date.now() + stepsAhead * 30_000 });
}

const cookiesOf = (res: request.Response): string[] =>
  ([] as string[]).concat(res.headers['set-cookie'] ?? []);

/**
 * The hosted login's second step over HTTP form posts (docs/mfa.md, "Hosted login"): the MFA
 * page after the password with TOTP (codes from otpauth), recovery and mailed codes, its limits
 * and CSRF, enrolment under `mfa: required`, and step-up with `acr_values`.
 */
describe('hosted login: second factor', () => {
  let mail: MailCatcher;
  let system: DpSystem;

  beforeAll(async () => {
    mail = await startMailCatcher();
    system = await startDpSystem(mailEnv(mail));
  });
  afterAll(async () => {
    await system.close();
    await mail.close();
  });

  /** A tenant with its own first-party web client. */
  async function setUp(prefix: string, settings: Record<string, unknown> = {}) {
    const tenant = await system.createTenant(prefix, settings);
    const client = await system.clients.register(tenant.id, {
      type: 'confidential',
      grant_types: ['authorization_code', 'refresh_token'],
      redirect_uris: [APP],
      settings: { first_party: true },
    });
    return { tenant, client, api: tenantApi(system.dp.url, tenant) };
  }

  const paramsOf = (client: RegisteredClient, extra: Record<string, string> = {}) => ({
    client_id: client.client_id,
    redirect_uri: APP,
    response_type: 'code',
    scope: 'openid email',
    state: 'st-mfa',
    nonce: 'n-mfa',
    ...extra,
  });

  /** A user with a confirmed authenticator app, enrolled through the JSON API. */
  async function enrolled(api: TenantApi, prefix = 'mfa') {
    const user = await api.newUser(prefix);
    const access = user.tokens.access_token;
    const start = await api.post('/v1/mfa/totp', {}, access).expect(201);
    const secret = start.body.secret as string;
    const done = await api
      .post(
        '/v1/mfa/totp/confirm',
        { factor_id: start.body.factor_id, code: totpCode(secret) },
        access,
      )
      .expect(200);
    return { ...user, access, secret, recoveryCodes: done.body.recovery_codes as string[] };
  }

  /** The password, then the MFA page: its URL and text. */
  async function toMfaPage(
    browser: HostedBrowser,
    params: Record<string, string>,
    email: string,
    page = 'mfa',
  ) {
    const answer = await signInThrough(browser, params, { email, password: PASSWORD });
    const location = String(answer.headers.location);
    expect(location).toMatch(new RegExp(`^${browser.base}/login/${page}\\?tx=[\\w-]{43}$`));
    const shown = await browser.get(location).expect(200);
    return { answer, location, text: shown.text };
  }

  const post = (browser: HostedBrowser, path: string, text: string, form: Record<string, string>) =>
    browser.post(`${browser.base}${path}`, { ...formTokens(text), ...form });

  /** The client's side: the code from the redirect, redeemed for tokens. */
  async function redeem(tenant: TestTenant, client: RegisteredClient, location: string) {
    const url = new URL(location);
    expect(`${url.origin}${url.pathname}`).toBe(APP);
    const code = url.searchParams.get('code');
    expect(code).toBeTruthy();
    const res = await request(system.dp.url)
      .post(`/t/${tenant.slug}/oauth2/token`)
      .set('Authorization', basicHeader(client.client_id, client.client_secret ?? ''))
      .type('form')
      .send(
        new URLSearchParams({
          grant_type: 'authorization_code',
          code: code ?? '',
          redirect_uri: APP,
        }).toString(),
      )
      .expect(200);
    return {
      id: claimsOf(res.body.id_token as string),
      access: claimsOf(res.body.access_token as string),
    };
  }

  describe('with an authenticator app', () => {
    let tenant: TestTenant;
    let client: RegisteredClient;
    let api: TenantApi;
    beforeAll(async () => {
      ({ tenant, client, api } = await setUp('hmfa'));
    });

    it('asks for the code after the password, keeps the mfa_token out of the URL, and ends with amr/acr', async () => {
      const user = await enrolled(api);
      const browser = hostedBrowser(system.dp.url, tenant);
      const { answer, location, text } = await toMfaPage(browser, paramsOf(client), user.email);
      // No session before the second factor; the token waits in a path-scoped HttpOnly cookie.
      const cookies = cookiesOf(answer);
      expect(cookies.some((c) => c.startsWith('hj_session='))).toBe(false);
      const mfaCookie = cookies.find((c) => c.startsWith('hj_mfa='));
      expect(mfaCookie).toMatch(/HttpOnly/i);
      expect(mfaCookie).toMatch(/SameSite=Lax/i);
      expect(mfaCookie).toContain(`Path=/t/${tenant.slug}/login/mfa`);
      expect(location).not.toContain('hjmfa_');
      // The page: a one-time-code field, the recovery code form, no passkey or email section.
      expect(text).toContain('<h1>Verify it’s you</h1>');
      expect(text).toMatch(
        /id="totp_code"[^>]*autocomplete="one-time-code"[^>]*inputmode="numeric"/,
      );
      expect(text).toMatch(/id="recovery_code"[^>]*autocomplete="off"/);
      expect(text).not.toContain('passkey-factor');
      expect(text).not.toContain('Email me a code');

      // The enrolment spent the current time step: the app's next code.
      const code = totpCode(user.secret, 1);
      const done = await post(browser, '/login/mfa', text, {
        factor: 'totp',
        totp_code: `${code.slice(0, 3)} ${code.slice(3)}`,
      }).expect(303);
      const session = cookiesOf(done).find((c) => c.startsWith('hj_session='));
      expect(session).toBeDefined();
      expect(cookiesOf(done).some((c) => /^hj_mfa=;/.test(c))).toBe(true);
      const tokens = await redeem(tenant, client, String(done.headers.location));
      expect(tokens.id.amr).toEqual(['pwd', 'otp', 'mfa']);
      expect(tokens.id.acr).toBe(LOA2);
      expect(tokens.access.amr).toEqual(['pwd', 'otp', 'mfa']);
      expect(tokens.access.acr).toBe(LOA2);

      // The next app signs in by SSO at the same level, without a second code.
      const again = await browser.authorize(paramsOf(client, { state: 'sso' })).expect(303);
      expect((await redeem(tenant, client, String(again.headers.location))).id.acr).toBe(LOA2);
    });

    it('refuses a replayed code with the error summary and inline error', async () => {
      const user = await enrolled(api, 'replay');
      // The enrolment used the current step: the next one signs in, then is refused again.
      const code = totpCode(user.secret, 1);
      const first = hostedBrowser(system.dp.url, tenant);
      const page = await toMfaPage(first, paramsOf(client), user.email);
      await post(first, '/login/mfa', page.text, { factor: 'totp', totp_code: code }).expect(303);

      const second = hostedBrowser(system.dp.url, tenant);
      const again = await toMfaPage(second, paramsOf(client), user.email);
      const refused = await post(second, '/login/mfa', again.text, {
        factor: 'totp',
        totp_code: code,
      }).expect(401);
      expect(refused.text).toContain('<title>Error: Verify it’s you');
      expect(refused.text).toContain('There is a problem');
      expect(refused.text).toContain(
        '<a href="#totp_code">The code is incorrect or has expired.</a>',
      );
      expect(refused.text).toMatch(/id="totp_code-error"/);
      expect(refused.text).toMatch(/id="totp_code"[^>]*aria-invalid="true"/);
      expect(refused.headers['set-cookie']).toBeUndefined();
    });

    it('takes a recovery code once (case and dashes do not matter)', async () => {
      const user = await enrolled(api, 'recovery');
      const recovery = user.recoveryCodes[0] ?? '';
      const first = hostedBrowser(system.dp.url, tenant);
      const page = await toMfaPage(first, paramsOf(client), user.email);
      const done = await post(first, '/login/mfa', page.text, {
        factor: 'recovery_code',
        recovery_code: ` ${recovery.toUpperCase()} `,
      }).expect(303);
      expect((await redeem(tenant, client, String(done.headers.location))).id.amr).toEqual([
        'pwd',
        'otp',
        'mfa',
      ]);

      const second = hostedBrowser(system.dp.url, tenant);
      const again = await toMfaPage(second, paramsOf(client), user.email);
      const spent = await post(second, '/login/mfa', again.text, {
        factor: 'recovery_code',
        recovery_code: recovery,
      }).expect(401);
      expect(spent.text).toContain(
        '<a href="#recovery_code">The code is incorrect or has expired.</a>',
      );
    });

    it('mails a code for the email factor and signs in with it', async () => {
      const user = await api.newUser('mailed');
      await tenantDb(system, tenant).users.update(user.id, { emailVerified: true });
      const access = user.tokens.access_token;
      await api.post('/v1/mfa/email', {}, access).expect(202);
      const enrolCode = codeIn(await mail.next(user.email));
      await api.post('/v1/mfa/email/confirm', { code: enrolCode }, access).expect(200);

      const browser = hostedBrowser(system.dp.url, tenant);
      const { location, text } = await toMfaPage(browser, paramsOf(client), user.email);
      expect(text).toContain('Email me a code');
      expect(text).not.toContain('id="email_code"');
      const sent = await post(browser, '/login/mfa/email', text, {}).expect(303);
      expect(String(sent.headers.location)).toBe(`${location}&sent=email`);
      const form = await browser.get(String(sent.headers.location)).expect(200);
      expect(form.text).toMatch(/id="email_code"[^>]*autocomplete="one-time-code"/);
      const code = codeIn(await mail.next(user.email));
      const wrong = code === '000000' ? '111111' : '000000';
      await post(browser, '/login/mfa', form.text, {
        factor: 'email_otp',
        email_code: wrong,
      }).expect(401);
      const done = await post(browser, '/login/mfa', form.text, {
        factor: 'email_otp',
        email_code: `${code.slice(0, 3)}-${code.slice(3)}`,
      }).expect(303);
      const tokens = await redeem(tenant, client, String(done.headers.location));
      expect(tokens.id.amr).toEqual(['pwd', 'otp', 'mfa']);
      expect(tokens.id.acr).toBe(LOA2);
    });

    it('refuses a form without its CSRF token or from another site (403 page)', async () => {
      const user = await enrolled(api, 'csrf');
      const browser = hostedBrowser(system.dp.url, tenant);
      const { text } = await toMfaPage(browser, paramsOf(client), user.email);
      const code = totpCode(user.secret, 1);
      const forged = await browser
        .post(`${browser.base}/login/mfa`, {
          tx: hiddenField(text, 'tx'),
          csrf: 'x'.repeat(43),
          factor: 'totp',
          totp_code: code,
        })
        .expect(403);
      expect(forged.text).toContain('This form has expired');
      await post(browser, '/login/mfa', text, { factor: 'totp', totp_code: code })
        .set('Origin', 'https://evil.example')
        .expect(403);
      // Another browser (no interaction cookie, no mfa cookie) with the page's fields: refused.
      const other = hostedBrowser(system.dp.url, tenant);
      await post(other, '/login/mfa', text, { factor: 'totp', totp_code: code }).expect(403);
      // The token is intact: the right browser still signs in.
      await post(browser, '/login/mfa', text, { factor: 'totp', totp_code: code }).expect(303);
    });

    it('sends a browser without a live mfa_token back to sign-in with a message', async () => {
      const user = await enrolled(api, 'expired');
      const browser = hostedBrowser(system.dp.url, tenant);
      const { location } = await toMfaPage(browser, paramsOf(client), user.email);
      // Another transaction of the same browser does not take this one's token.
      const other = await browser.authorize(paramsOf(client, { state: 'other' })).expect(303);
      const otherTx = new URL(String(other.headers.location), system.dp.url).searchParams.get('tx');
      const elsewhere = await browser
        .get(`${browser.base}/login/mfa?tx=${otherTx ?? ''}`)
        .expect(303);
      expect(String(elsewhere.headers.location)).toMatch(/notice=mfa_expired$/);
      // Another browser of the same transaction has no token cookie.
      const stranger = hostedBrowser(system.dp.url, tenant);
      const back = await stranger.get(location).expect(303);
      const login = String(back.headers.location);
      expect(login).toMatch(/\/login\?tx=[\w-]{43}&notice=mfa_expired$/);
      const page = await stranger.get(login).expect(200);
      expect(page.text).toContain('Your sign-in took too long');

      // Five wrong codes wear the token out: the next answer goes back to sign-in too.
      const { text } = await toMfaPage(browser, paramsOf(client), user.email);
      for (let i = 0; i < 5; i += 1) {
        await post(browser, '/login/mfa', text, { factor: 'totp', totp_code: '000000' }).expect(
          401,
        );
      }
      const worn = await post(browser, '/login/mfa', text, {
        factor: 'totp',
        totp_code: totpCode(user.secret, 1),
      }).expect(303);
      expect(String(worn.headers.location)).toMatch(/notice=mfa_expired$/);
    });

    it('asks a magic-link sign-in for the second factor too (never the email factor)', async () => {
      const user = await enrolled(api, 'magic');
      const browser = hostedBrowser(system.dp.url, tenant);
      const start = await browser.authorize(paramsOf(client)).expect(303);
      const tx = new URL(String(start.headers.location), system.dp.url).searchParams.get('tx');
      await api.post('/v1/auth/magic-link', { email: user.email }).expect(202);
      const token = linkTokenIn(await mail.next(user.email), '/login/magic');
      const path = `${browser.base}/login/magic?token=${token}&tx=${tx ?? ''}`;
      const page = await browser.get(path).expect(200);
      const answer = await browser
        .post(`${browser.base}/login/magic`, {
          csrf: hiddenField(page.text, 'csrf'),
          tx: tx ?? '',
          token,
        })
        .expect(303);
      expect(String(answer.headers.location)).toBe(`${browser.base}/login/mfa?tx=${tx ?? ''}`);
      expect(cookiesOf(answer).some((c) => c.startsWith('hj_session='))).toBe(false);
      const mfaPage = await browser.get(String(answer.headers.location)).expect(200);
      expect(mfaPage.text).not.toContain('Email me a code');
      const done = await post(browser, '/login/mfa', mfaPage.text, {
        factor: 'totp',
        totp_code: totpCode(user.secret, 1),
      }).expect(303);
      const tokens = await redeem(tenant, client, String(done.headers.location));
      expect(tokens.id.amr).toEqual(['otp', 'mfa']);
      expect(tokens.id.acr).toBe(LOA2);

      // Without a transaction there is no page to ask on: no session, a sentence instead.
      await api.post('/v1/auth/magic-link', { email: user.email }).expect(202);
      const plain = linkTokenIn(await mail.next(user.email), '/login/magic');
      const other = hostedBrowser(system.dp.url, tenant);
      const form = await other.get(`${other.base}/login/magic?token=${plain}`).expect(200);
      const refused = await other
        .post(`${other.base}/login/magic`, { csrf: hiddenField(form.text, 'csrf'), token: plain })
        .expect(200);
      expect(refused.text).toContain('Go back to the app and sign in from there.');
      expect(cookiesOf(refused).some((c) => c.startsWith('hj_session='))).toBe(false);
    });

    it('speaks Spanish with ui_locales=es', async () => {
      const user = await enrolled(api, 'es');
      const browser = hostedBrowser(system.dp.url, tenant);
      const { text } = await toMfaPage(browser, paramsOf(client, { ui_locales: 'es' }), user.email);
      expect(text).toContain('<html lang="es">');
      expect(text).toContain('Confirma que eres tú');
      const refused = await post(browser, '/login/mfa', text, {
        factor: 'totp',
        totp_code: '12345',
      }).expect(401);
      expect(refused.text).toContain('El código es incorrecto o ha caducado.');
    });
  });

  it('answers 429 with the minutes to wait once wrong codes reach the lockout', async () => {
    const { tenant, client, api } = await setUp('hmfa-lock', { lockout: { max_failures: 3 } });
    const user = await enrolled(api, 'locked');
    const browser = hostedBrowser(system.dp.url, tenant);
    const { text } = await toMfaPage(browser, paramsOf(client), user.email);
    const wrong = () => post(browser, '/login/mfa', text, { factor: 'totp', totp_code: '000000' });
    for (let i = 0; i < 3; i += 1) await wrong().expect(401);
    const locked = await wrong().expect(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(locked.text).toMatch(/Too many attempts\. Try again in \d+ minutes?\./);
    // A right code is refused too while locked.
    await post(browser, '/login/mfa', text, {
      factor: 'totp',
      totp_code: totpCode(user.secret, 1),
    }).expect(429);
  });

  describe('mfa: required', () => {
    let tenant: TestTenant;
    let client: RegisteredClient;
    let api: TenantApi;
    beforeAll(async () => {
      ({ tenant, client, api } = await setUp('hmfa-req', { mfa: 'required' }));
    });

    /** The enrolment page's authenticator: the key as shown, and its factor id. */
    function setupOf(text: string) {
      const key = /id="totp-secret">([A-Z2-7 ]+)</.exec(text)?.[1] ?? '';
      return { secret: key.replace(/ /g, ''), factorId: hiddenField(text, 'factor_id') };
    }

    it('leads a user without a factor to enrol, shows the recovery codes once, then signs in', async () => {
      const user = await api.newUser('enrol');
      const browser = hostedBrowser(system.dp.url, tenant);
      const { text } = await toMfaPage(browser, paramsOf(client), user.email, 'mfa/enrol');
      expect(text).toContain('<h1>Set up two-step verification</h1>');
      expect(text).toMatch(
        /<svg width="200" height="200" xmlns="http:\/\/www\.w3\.org\/2000\/svg"/,
      );
      const { secret, factorId } = setupOf(text);
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      // Unverified address: no email alternative.
      expect(text).not.toContain('Use email codes');

      // A wrong code: the same key again, with the error.
      const wrong = await post(browser, '/login/mfa/enrol', text, {
        factor: 'totp',
        factor_id: factorId,
        totp_code: '000000',
      }).expect(401);
      expect(wrong.text).toContain(
        '<a href="#totp_code">The code is incorrect or has expired.</a>',
      );
      expect(setupOf(wrong.text)).toEqual({ secret, factorId });

      const done = await post(browser, '/login/mfa/enrol', text, {
        factor: 'totp',
        factor_id: factorId,
        totp_code: totpCode(secret),
      }).expect(200);
      expect(done.text).toContain('<h1>Save your recovery codes</h1>');
      expect(done.headers['cache-control']).toMatch(/no-store/);
      const codes = [...done.text.matchAll(/<li><code>([0-9a-z-]+)<\/code><\/li>/g)].map(
        (m) => m[1],
      );
      expect(codes).toHaveLength(10);
      expect(cookiesOf(done).some((c) => c.startsWith('hj_session='))).toBe(true);
      const next = await post(browser, '/login/mfa/continue', done.text, {}).expect(303);
      const tokens = await redeem(tenant, client, String(next.headers.location));
      expect(tokens.id.amr).toEqual(['pwd', 'otp', 'mfa']);
      expect(tokens.id.acr).toBe(LOA2);

      // The codes work: the next sign-in asks for the factor, and takes one of them.
      const later = hostedBrowser(system.dp.url, tenant);
      const step = await toMfaPage(later, paramsOf(client), user.email);
      await post(later, '/login/mfa', step.text, {
        factor: 'recovery_code',
        recovery_code: codes[3] ?? '',
      }).expect(303);
    });

    it('offers email codes instead for a verified address', async () => {
      const user = await api.newUser('enrol-mail');
      await tenantDb(system, tenant).users.update(user.id, { emailVerified: true });
      const browser = hostedBrowser(system.dp.url, tenant);
      const { location, text } = await toMfaPage(
        browser,
        paramsOf(client),
        user.email,
        'mfa/enrol',
      );
      expect(text).toContain('Use email codes');
      const sent = await post(browser, '/login/mfa/enrol/email', text, {}).expect(303);
      expect(String(sent.headers.location)).toBe(`${location}&method=email`);
      const form = await browser.get(String(sent.headers.location)).expect(200);
      expect(form.text).toMatch(/id="email_code"[^>]*inputmode="numeric"/);
      const code = codeIn(await mail.next(user.email));
      const done = await post(browser, '/login/mfa/enrol', form.text, {
        factor: 'email_otp',
        email_code: code,
      }).expect(200);
      expect(done.text).toContain('Save your recovery codes');
      const next = await post(browser, '/login/mfa/continue', done.text, {}).expect(303);
      expect((await redeem(tenant, client, String(next.headers.location))).id.acr).toBe(LOA2);
    });
  });

  describe('step-up with acr_values', () => {
    let tenant: TestTenant;
    let client: RegisteredClient;
    let api: TenantApi;
    beforeAll(async () => {
      ({ tenant, client, api } = await setUp('hmfa-up'));
    });

    it('advertises the acr values in discovery', async () => {
      const res = await request(system.dp.url)
        .get(`/t/${tenant.slug}/.well-known/openid-configuration`)
        .expect(200);
      expect(res.body.acr_values_supported).toEqual([LOA1, LOA2]);
    });

    it('asks a single-factor session for its second factor, then upgrades the same session', async () => {
      // Signed in with the password alone, then the user adds an authenticator.
      const user = await api.newUser('step-up');
      const browser = hostedBrowser(system.dp.url, tenant);
      const first = await signInThrough(browser, paramsOf(client), {
        email: user.email,
        password: PASSWORD,
      });
      const before = await redeem(tenant, client, String(first.headers.location));
      expect(before.id.acr).toBe(LOA1);
      const start = await api.post('/v1/mfa/totp', {}, user.tokens.access_token).expect(201);
      const secret = start.body.secret as string;
      await api
        .post(
          '/v1/mfa/totp/confirm',
          { factor_id: start.body.factor_id, code: totpCode(secret) },
          user.tokens.access_token,
        )
        .expect(200);

      // Without acr_values: SSO as before.
      const sso = await browser.authorize(paramsOf(client)).expect(303);
      expect((await redeem(tenant, client, String(sso.headers.location))).id.acr).toBe(LOA1);
      // With loa:2: the MFA page for the session's user, no password.
      const wants = await browser.authorize(paramsOf(client, { acr_values: LOA2 })).expect(303);
      const login = await browser.get(String(wants.headers.location)).expect(303);
      const mfaUrl = String(login.headers.location);
      expect(mfaUrl).toContain('/login/mfa?tx=');
      const page = await browser.get(mfaUrl).expect(200);
      const done = await post(browser, '/login/mfa', page.text, {
        factor: 'totp',
        totp_code: totpCode(secret, 1),
      }).expect(303);
      const after = await redeem(tenant, client, String(done.headers.location));
      expect(after.id.amr).toEqual(['pwd', 'otp', 'mfa']);
      expect(after.id.acr).toBe(LOA2);
      expect(after.id.sid).toBe(before.id.sid);
      // PAPE's alias is now satisfied by the session, silently.
      const pape = await browser
        .authorize(paramsOf(client, { acr_values: PAPE, prompt: 'none' }))
        .expect(303);
      expect((await redeem(tenant, client, String(pape.headers.location))).id.acr).toBe(LOA2);
    });

    it('enrols a user without a factor; prompt=none answers login_required', async () => {
      const user = await api.newUser('step-enrol');
      const browser = hostedBrowser(system.dp.url, tenant);
      await signInThrough(browser, paramsOf(client), { email: user.email, password: PASSWORD });
      const silent = await browser
        .authorize(paramsOf(client, { acr_values: LOA2, prompt: 'none' }))
        .expect(303);
      expect(new URL(String(silent.headers.location)).searchParams.get('error')).toBe(
        'login_required',
      );
      const wants = await browser.authorize(paramsOf(client, { acr_values: LOA2 })).expect(303);
      const login = await browser.get(String(wants.headers.location)).expect(303);
      expect(String(login.headers.location)).toContain('/login/mfa/enrol?tx=');
    });

    it('gives the acr there is when the tenant has MFA off (the RP checks acr)', async () => {
      const off = await setUp('hmfa-off', { mfa: 'off' });
      const user = await off.api.newUser('off');
      const browser = hostedBrowser(system.dp.url, off.tenant);
      const done = await signInThrough(browser, paramsOf(off.client, { acr_values: LOA2 }), {
        email: user.email,
        password: PASSWORD,
      });
      const tokens = await redeem(off.tenant, off.client, String(done.headers.location));
      expect(tokens.id.acr).toBe(LOA1);
      expect(tokens.id.amr).toEqual(['pwd']);
    });

    it('asks again after max_age forces a new password', async () => {
      const user = await enrolled(api, 'max-age');
      const browser = hostedBrowser(system.dp.url, tenant);
      const page = await toMfaPage(browser, paramsOf(client), user.email);
      await post(browser, '/login/mfa', page.text, {
        factor: 'totp',
        totp_code: totpCode(user.secret, 1),
      }).expect(303);
      const again = await toMfaPage(browser, paramsOf(client, { max_age: '0' }), user.email);
      expect(again.text).toContain('id="totp_code"');
    });
  });
});
