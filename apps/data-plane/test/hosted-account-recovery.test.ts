import { createHash } from 'node:crypto';
import { NEW_PASSWORD, PASSWORD, uniqueEmail } from './support/auth-client';
import {
  formTokens,
  hiddenField,
  hostedBrowser,
  type HostedBrowser,
} from './support/hosted-browser';
import { startHostedMailSystem, type HostedMailSystem } from './support/hosted-mail-system';
import { linkTokenIn } from './support/mail-catcher';
import { oauthApi } from './support/oauth-client';
import { tenantDb } from './support/oidc-fixtures';

jest.setTimeout(60_000);

const APP = 'https://app.example.com/cb';

/**
 * The hosted pages the mails link to, driven as a browser without JavaScript would: GET the page,
 * post its form back with the CSRF token and the cookies. Mails go over real SMTP to an
 * in-process server.
 */
describe('hosted pages of the mailed links (forgot, reset, verify email, magic link)', () => {
  let s: HostedMailSystem;
  beforeAll(async () => {
    s = await startHostedMailSystem('recover', APP);
  });
  afterAll(() => s.close());

  const authorizeParams = () => ({
    client_id: s.web.client_id,
    redirect_uri: APP,
    response_type: 'code',
    scope: 'openid email',
    state: 'st-r',
    nonce: 'n-r',
  });

  /** Starts an authorization: the sign-in page and its `tx`. */
  async function signInPage(browser: HostedBrowser) {
    const start = await browser.authorize(authorizeParams()).expect(303);
    const page = await browser.get(String(start.headers.location)).expect(200);
    return { page: page.text, tx: hiddenField(page.text, 'tx') };
  }

  /** Posts the forgot form from its page; returns the answer. */
  async function forgot(browser: HostedBrowser, email: string, query = '') {
    const page = await browser.get(`${browser.base}/login/forgot${query}`).expect(200);
    const form: Record<string, string> = { csrf: hiddenField(page.text, 'csrf'), email };
    if (query.includes('tx=')) form['tx'] = hiddenField(page.text, 'tx');
    return browser.post(`${browser.base}/login/forgot`, form);
  }

  /** The path and query of a mailed link to `page`, as the browser opens it. */
  const linkPath = (browser: HostedBrowser, page: string, token: string, tx?: string) =>
    `${browser.base}${page}?token=${token}${tx === undefined ? '' : `&tx=${tx}`}`;

  it('links "Forgot your password?" from the sign-in page, keeping the transaction', async () => {
    const browser = hostedBrowser(s.system.dp.url, s.tenant);
    const { page, tx } = await signInPage(browser);
    expect(page).toContain(`href="${browser.base}/login/forgot?tx=${tx}"`);
    expect(page).toContain('Forgot your password?');
    const forgotPage = await browser.get(`${browser.base}/login/forgot?tx=${tx}`).expect(200);
    expect(forgotPage.text).toContain('autocomplete="username"');
    expect(forgotPage.text).toContain(`name="tx" value="${tx}"`);
    expect(forgotPage.headers['cache-control']).toBe('no-store');
    expect(forgotPage.headers['referrer-policy']).toBe('no-referrer');
  });

  it('forgot -> mail -> reset page -> the new password works, the old one fails, sessions end', async () => {
    const user = await s.api.newUser('hosted-reset');
    const browser = hostedBrowser(s.system.dp.url, s.tenant);
    const sent = await forgot(browser, user.email);
    expect(sent.status).toBe(200);
    expect(sent.text).toContain(`If an account exists for ${user.email}, we&#39;ve sent a link.`);
    const token = linkTokenIn(await s.mail.next(user.email), '/login/reset');

    // The GET shows the form and spends nothing: a mail scanner may fetch it first.
    const path = linkPath(browser, '/login/reset', token);
    await browser.get(path).expect(200);
    const page = await browser.get(path).expect(200);
    expect(page.text).toContain('autocomplete="new-password"');
    expect(page.text).toMatch(/autocomplete="username"\s+readonly\s+value="[^"]+"/);
    expect(page.text).toContain(`value="${user.email}"`);
    expect(page.text).toContain('At least');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const csrf = hiddenField(page.text, 'csrf');

    // A weak password shows the form again and leaves the link usable.
    const weak = await browser
      .post(`${browser.base}/login/reset`, { csrf, token, password: 'short' })
      .expect(422);
    expect(weak.text).toContain('There is a problem');
    expect(weak.text).toContain('href="#password"');

    const done = await browser
      .post(`${browser.base}/login/reset`, {
        csrf,
        token,
        username: user.email,
        password: NEW_PASSWORD,
      })
      .expect(200);
    expect(done.text).toContain('Your password has been changed');
    await s.api.signIn(user.email, PASSWORD).expect(401);
    await s.api.signIn(user.email, NEW_PASSWORD).expect(200);
    await s.api.refresh(user.tokens.refresh_token).expect(401);
    await s.api.get('/v1/me', user.tokens.access_token).expect(401);

    // Single use: the same link is now the "not valid" page, offering a new one.
    const reused = await browser
      .post(`${browser.base}/login/reset`, { csrf, token, password: NEW_PASSWORD })
      .expect(400);
    expect(reused.text).toContain('This link is not valid');
    expect(reused.text).toContain(`href="${browser.base}/login/forgot"`);
    const reopened = await browser.get(path).expect(400);
    expect(reopened.text).toContain('This link is not valid');
  });

  it('ends the browser session of a reset and carries the transaction through the mail', async () => {
    const user = await s.api.newUser('hosted-reset-tx');
    const browser = hostedBrowser(s.system.dp.url, s.tenant);
    // Signed in in this browser first (an SSO session the reset must end).
    const { tx: firstTx, page } = await signInPage(browser);
    await browser
      .post(`${browser.base}/login`, { ...formTokens(page), email: user.email, password: PASSWORD })
      .expect(303);
    const silent = await browser.authorize({ ...authorizeParams(), prompt: 'none' }).expect(303);
    expect(String(silent.headers.location)).toContain('code=');
    expect(firstTx).toBeTruthy();

    const { tx } = await signInPage(hostedBrowser(s.system.dp.url, s.tenant));
    expect((await forgot(browser, user.email, `?tx=${tx}`)).status).toBe(200);
    const mailed = await s.mail.next(user.email);
    const token = linkTokenIn(mailed, '/login/reset');
    expect(mailed.raw).toContain(`tx=${tx}`);
    const resetPage = await browser.get(linkPath(browser, '/login/reset', token, tx)).expect(200);
    const done = await browser
      .post(`${browser.base}/login/reset`, {
        csrf: hiddenField(resetPage.text, 'csrf'),
        tx,
        token,
        password: NEW_PASSWORD,
      })
      .expect(200);
    expect(done.text).toContain(`href="${browser.base}/login?tx=${tx}"`);
    const cookies = ([] as string[]).concat(done.headers['set-cookie'] ?? []);
    expect(cookies.some((c) => /^hj_session=;/.test(c))).toBe(true);
    // The SSO session is over: prompt=none now needs a login.
    const after = await browser.authorize({ ...authorizeParams(), prompt: 'none' }).expect(303);
    expect(String(after.headers.location)).toContain('error=login_required');
  });

  it('answers an unknown address exactly like a known one, and mails nothing', async () => {
    const known = await s.api.newUser('hosted-forgot-known');
    const unknown = uniqueEmail('hosted-nobody');
    const browser = hostedBrowser(s.system.dp.url, s.tenant);
    const a = await forgot(browser, unknown);
    const b = await forgot(browser, known.email);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.text.replace(unknown, '{email}')).toBe(b.text.replace(known.email, '{email}'));
    await s.mail.next(known.email);
    expect(s.mail.pending(unknown)).toEqual([]);
    // Not an address at all: the form again, with its error summary.
    const bad = await forgot(browser, 'not-an-address');
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/<title>Error: Reset your password/);
    expect(bad.text).toContain('href="#email"');
    expect(bad.text).toContain('value="not-an-address"');
  });

  it('refuses a form without the right CSRF token, or from another site (403 page)', async () => {
    const user = await s.api.newUser('hosted-csrf');
    const browser = hostedBrowser(s.system.dp.url, s.tenant);
    const page = await browser.get(`${browser.base}/login/forgot`).expect(200);
    const csrf = hiddenField(page.text, 'csrf');
    // The per-address mail budget (3 in 5 minutes) counts refused posts too: one address each.
    const post = (form: Record<string, string>, headers: Record<string, string> = {}) =>
      browser.post(`${browser.base}/login/forgot`, { email: user.email, ...form }, headers);
    const missing = await post({ csrf: '' }).expect(403);
    expect(missing.text).toContain('This form has expired');
    await post({ csrf: 'x'.repeat(43), email: uniqueEmail('csrf-a') }).expect(403);
    await post({ csrf, email: uniqueEmail('csrf-b') }, { Origin: 'https://evil.example' }).expect(
      403,
    );
    const other = hostedBrowser(s.system.dp.url, s.tenant);
    await other
      .post(`${other.base}/login/forgot`, { csrf, email: uniqueEmail('csrf-c') })
      .expect(403);

    // A link's CSRF token is good for that link only.
    await s.api.post('/v1/auth/password/forgot', { email: user.email }).expect(202);
    // The refused post above mailed nothing: the first mail to arrive is the API's.
    const token = linkTokenIn(await s.mail.next(user.email), '/login/reset');
    const resetPage = await browser.get(linkPath(browser, '/login/reset', token)).expect(200);
    await browser
      .post(`${browser.base}/login/reset`, { csrf, token, password: NEW_PASSWORD })
      .expect(403);
    await browser
      .post(`${browser.base}/login/reset`, {
        csrf: hiddenField(resetPage.text, 'csrf'),
        token,
        password: NEW_PASSWORD,
      })
      .expect(200);
  });

  it('verify-email: the GET verifies nothing, the POST does, once', async () => {
    const user = await s.api.newUser('hosted-verify');
    await s.api.post('/v1/auth/email/verify/send', undefined, user.tokens.access_token).expect(202);
    const token = linkTokenIn(await s.mail.next(user.email), '/login/verify-email');
    const browser = hostedBrowser(s.system.dp.url, s.tenant);
    const path = linkPath(browser, '/login/verify-email', token);
    const page = await browser.get(path).expect(200);
    await browser.get(path).expect(200);
    expect(page.text).toContain('Verify my email address');
    const me = await s.api.get('/v1/me', user.tokens.access_token).expect(200);
    expect(me.body.email_verified).toBe(false);

    const csrf = hiddenField(page.text, 'csrf');
    const done = await browser
      .post(`${browser.base}/login/verify-email`, { csrf, token })
      .expect(200);
    expect(done.text).toContain('Your email address is verified');
    const after = await s.api.get('/v1/me', user.tokens.access_token).expect(200);
    expect(after.body.email_verified).toBe(true);
    const again = await browser
      .post(`${browser.base}/login/verify-email`, { csrf, token })
      .expect(400);
    expect(again.text).toContain('This link is not valid');
  });

  it('magic link with tx: Continue signs in (amr otp) and finishes the code flow', async () => {
    const user = await s.api.newUser('hosted-magic');
    const browser = hostedBrowser(s.system.dp.url, s.tenant);
    const { tx } = await signInPage(browser);
    await s.api.post('/v1/auth/magic-link', { email: user.email }).expect(202);
    const token = linkTokenIn(await s.mail.next(user.email), '/login/magic');

    // Opened in the same browser, with the transaction riding on the link.
    const path = linkPath(browser, '/login/magic', token, tx);
    const page = await browser.get(path).expect(200);
    await browser.get(path).expect(200); // a prefetch spends nothing
    expect(page.text).toContain('Sign in with your link');
    const answer = await browser
      .post(`${browser.base}/login/magic`, { csrf: hiddenField(page.text, 'csrf'), tx, token })
      .expect(303);
    const location = new URL(String(answer.headers.location));
    expect(`${location.origin}${location.pathname}`).toBe(APP);
    expect(location.searchParams.get('state')).toBe('st-r');
    const code = location.searchParams.get('code') ?? '';
    const row = await tenantDb(s.system, s.tenant).authorizationCodes.findByHash(
      createHash('sha256').update(code).digest('hex'),
    );
    expect(row).toMatchObject({ userId: user.id, amr: ['otp'] });
    const tokens = await oauthApi(s.system.dp.url, s.tenant)
      .post(
        'token',
        { grant_type: 'authorization_code', code, redirect_uri: APP },
        { basic: s.web },
      )
      .expect(200);
    expect(tokens.body.id_token).toBeTruthy();

    // The link is spent.
    const again = await browser
      .post(`${browser.base}/login/magic`, { csrf: hiddenField(page.text, 'csrf'), tx, token })
      .expect(400);
    expect(again.text).toContain('This link is not valid');
  });

  it('magic link without tx: signs the browser in and says so', async () => {
    const user = await s.api.newUser('hosted-magic-plain');
    await s.api.post('/v1/auth/magic-link', { email: user.email }).expect(202);
    const token = linkTokenIn(await s.mail.next(user.email), '/login/magic');
    const browser = hostedBrowser(s.system.dp.url, s.tenant);
    const page = await browser.get(linkPath(browser, '/login/magic', token)).expect(200);
    const done = await browser
      .post(`${browser.base}/login/magic`, { csrf: hiddenField(page.text, 'csrf'), token })
      .expect(200);
    expect(done.text).toContain('You are signed in');
    const cookies = ([] as string[]).concat(done.headers['set-cookie'] ?? []);
    expect(cookies.some((c) => c.startsWith('hj_session=') && !c.startsWith('hj_session=;'))).toBe(
      true,
    );
    // The browser is signed in: an authorization needs no password.
    const silent = await browser.authorize({ ...authorizeParams(), prompt: 'none' }).expect(303);
    expect(String(silent.headers.location)).toContain('code=');
  });

  it('speaks Spanish on the pages of a mailed link', async () => {
    const browser = hostedBrowser(s.system.dp.url, s.tenant);
    const page = await browser
      .get(`${browser.base}/login/forgot`)
      .set('Accept-Language', 'es-ES,es;q=0.9')
      .expect(200);
    expect(page.text).toContain('<html lang="es">');
    expect(page.text).toContain('Restablece tu contraseña');
    const bad = await browser
      .get(linkPath(browser, '/login/verify-email', 'A'.repeat(43)))
      .set('Accept-Language', 'es')
      .expect(400);
    expect(bad.text).toContain('Este enlace no es válido');
  });

  it('hosted sign-up under require_email_verification says "check your email"', async () => {
    const strict = await s.system.createTenant('recover-strict', {
      require_email_verification: true,
    });
    const strictWeb = await s.system.clients.register(strict.id, {
      type: 'confidential',
      grant_types: ['authorization_code'],
      redirect_uris: [APP],
      settings: { first_party: true },
    });
    const browser = hostedBrowser(s.system.dp.url, strict);
    const start = await browser
      .authorize({ ...authorizeParams(), client_id: strictWeb.client_id })
      .expect(303);
    const tx = new URL(String(start.headers.location), 'http://x').searchParams.get('tx') ?? '';
    const page = await browser.get(`${browser.base}/login/sign-up?tx=${tx}`).expect(200);
    const email = uniqueEmail('strict-hosted');
    const res = await browser
      .post(`${browser.base}/login/sign-up`, {
        ...formTokens(page.text),
        email,
        password: PASSWORD,
      })
      .expect(200);
    expect(res.text).toContain('Check your email');
    expect(res.text).toContain(`If an account can be created for ${email}`);
    const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    expect(cookies.some((c) => c.startsWith('hj_session='))).toBe(false);
    linkTokenIn(await s.mail.next(email), '/login/verify-email');
  });
});
