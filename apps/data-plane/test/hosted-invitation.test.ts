import { createHash, randomUUID } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { PASSWORD, tenantApi, uniqueEmail, type TenantApi } from './support/auth-client';
import {
  formTokens,
  hiddenField,
  hostedBrowser,
  signInThrough,
  type HostedBrowser,
} from './support/hosted-browser';
import { startHostedMailSystem, type HostedMailSystem } from './support/hosted-mail-system';
import { linkTokenIn } from './support/mail-catcher';

jest.setTimeout(60_000);

const APP = 'https://app.example.com/cb';

/**
 * The hosted page the invitation mail links to (docs/organizations.md), driven as a browser
 * without JavaScript: GET shows the offer and spends nothing, the POST (CSRF) accepts for the
 * browser's signed-in user when they own the invited, verified address; anyone else leaves it
 * unspent. Mails go over real SMTP to an in-process server.
 */
describe('hosted invitation page', () => {
  let s: HostedMailSystem;
  beforeAll(async () => {
    s = await startHostedMailSystem('invite', APP);
  });
  afterAll(() => s.close());

  /** A user with a verified address, made by a tenant admin. */
  async function verifiedUser(prefix: string) {
    const admin = await s.system.cpAdminToken('owner');
    const email = uniqueEmail(prefix);
    const made = await s.api
      .post('/v1/admin/users', { email, password: PASSWORD, email_verified: true }, admin)
      .expect(201);
    return { id: made.body.id as string, email };
  }

  /** A verified user of `on`'s tenant, signed in through the API (any sign-up policy). */
  async function ownerOn(on: TenantApi) {
    const admin = await s.system.cpAdminToken('owner');
    const email = uniqueEmail('inv-owner');
    await on
      .post('/v1/admin/users', { email, password: PASSWORD, email_verified: true }, admin)
      .expect(201);
    const signedIn = await on.signIn(email).expect(200);
    return { email, tokens: signedIn.body as { access_token: string } };
  }

  /** An organization named `name` inviting `email` as `role`; the mailed token. */
  async function invitation(name: string, email: string, role = 'admin', on: TenantApi = s.api) {
    const owner = await ownerOn(on);
    const org = await on
      .post(
        '/v1/organizations',
        { name, slug: `org-${randomUUID().slice(0, 8)}` },
        owner.tokens.access_token,
      )
      .expect(201);
    await on
      .post(
        `/v1/organizations/${org.body.id}/invitations`,
        { email, role },
        owner.tokens.access_token,
      )
      .expect(201);
    return {
      orgId: org.body.id as string,
      owner,
      token: linkTokenIn(await s.mail.next(email), '/login/invitation'),
    };
  }

  /** A browser signed in to the hosted login as `email`. */
  async function signedIn(email: string): Promise<HostedBrowser> {
    const browser = hostedBrowser(s.system.dp.url, s.tenant);
    await signInThrough(
      browser,
      {
        client_id: s.web.client_id,
        redirect_uri: APP,
        response_type: 'code',
        scope: 'openid',
        state: 's',
        nonce: 'n',
      },
      { email, password: PASSWORD },
    );
    return browser;
  }

  const pagePath = (browser: HostedBrowser, token: string) =>
    `${browser.base}/login/invitation?token=${token}`;

  /** Opens the mailed link and posts its Accept form. */
  async function accept(browser: HostedBrowser, token: string) {
    const page = await browser.get(pagePath(browser, token)).expect(200);
    return browser.post(`${browser.base}/login/invitation`, {
      csrf: hiddenField(page.text, 'csrf'),
      token,
    });
  }

  const isMember = async (orgId: string, userId: string) =>
    (await s.system.dp.deps.pools
      .get({ tenantId: s.tenant.id, database: { mode: 'managed' } })
      .memberships.find(orgId, userId)) !== undefined;

  it('shows the offer without spending it, then joins the invited signed-in user', async () => {
    const invited = await verifiedUser('invited');
    const { orgId, token } = await invitation('Acme Docs', invited.email);

    // Prefetch-safe: a scanner's GETs spend nothing.
    const browser = await signedIn(invited.email);
    await browser.get(pagePath(browser, token)).expect(200);
    const page = await browser.get(pagePath(browser, token)).expect(200);
    expect(page.text).toContain('Join Acme Docs');
    expect(page.text).toContain('with the role admin');
    expect(page.text).toContain('Accept invitation');
    expect(page.text).toContain(`name="token" value="${token}"`);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(await isMember(orgId, invited.id)).toBe(false);

    // Without its CSRF token the form is refused and nothing is spent.
    await browser.post(`${browser.base}/login/invitation`, { csrf: 'forged', token }).expect(403);
    expect(await isMember(orgId, invited.id)).toBe(false);

    const joined = await accept(browser, token);
    expect(joined.status).toBe(200);
    expect(joined.text).toContain('You&#39;ve joined Acme Docs');
    expect(await isMember(orgId, invited.id)).toBe(true);

    // Single use: the link is now "not valid", on GET and on POST.
    const spent = await browser.get(pagePath(browser, token)).expect(400);
    expect(spent.text).toContain('This invitation is not valid');
  });

  /** Where a 303 sends the browser, as a path, with the `tx` it carries. */
  const followed = (res: { headers: Record<string, unknown> }, page: string, base: string) => {
    const location = String(res.headers['location']);
    expect(location).toMatch(new RegExp(`^${base}${page}\\?tx=[\\w-]{43}$`));
    return { location, tx: new URL(location, 'http://x').searchParams.get('tx') ?? '' };
  };

  /** The signed-out page's form posted with `intent`: the 303 into the hosted sign-in. */
  async function startSignIn(browser: HostedBrowser, token: string, intent: string) {
    const page = await browser.get(pagePath(browser, token)).expect(200);
    return browser
      .post(`${browser.base}/login/invitation`, {
        csrf: hiddenField(page.text, 'csrf'),
        token,
        intent,
      })
      .expect(303);
  }

  /** The hosted sign-in page of `location`, with the password: the 303 it answers. */
  async function signInAt(browser: HostedBrowser, location: string, email: string) {
    const page = await browser.get(location).expect(200);
    return browser
      .post(`${browser.base}/login`, { ...formTokens(page.text), email, password: PASSWORD })
      .expect(303);
  }

  it('asks a signed-out browser to sign in, runs the hosted sign-in and comes back to accept', async () => {
    const invited = await verifiedUser('anon');
    const { orgId, token } = await invitation('Anon Org', invited.email);
    const anonymous = hostedBrowser(s.system.dp.url, s.tenant);

    const page = await anonymous.get(pagePath(anonymous, token)).expect(200);
    expect(page.text).toContain('Join Anon Org');
    expect(page.text).toMatch(/name="intent"\s+value="sign_in"/);
    expect(page.text).toContain('Sign in to accept');
    expect(page.text).toMatch(/name="intent"\s+value="sign_up"/);
    expect(page.text).toContain('Create an account');
    expect(page.text).not.toContain('Accept invitation');
    // Accepting without a session shows the same choices and spends nothing.
    const refused = await accept(anonymous, token);
    expect(refused.status).toBe(200);
    expect(refused.text).toContain('Sign in to accept');
    expect(await isMember(orgId, invited.id)).toBe(false);

    const started = await startSignIn(anonymous, token, 'sign_in');
    const { location, tx } = followed(started, '/login', anonymous.base);
    // The mailed token is never in the sign-in URL or stored in the clear.
    expect(location).not.toContain(token);
    const stored = await s.system.dp.deps.pools
      .get({ tenantId: s.tenant.id, database: { mode: 'managed' } })
      .loginTransactions.findLiveByHandleHash(
        createHash('sha256').update(tx).digest('hex'),
        new Date(),
      );
    expect(stored?.clientId).toBe('hosted:return');
    expect(stored?.request.state).toMatch(/^v1\./);
    expect(JSON.stringify(stored)).not.toContain(token);
    const signedIn = await signInAt(anonymous, location, invited.email);
    const back = followed(signedIn, '/login/invitation', anonymous.base);
    expect(back.tx).toBe(tx);

    const returned = await anonymous.get(back.location).expect(200);
    expect(returned.text).toContain('Join Anon Org');
    expect(returned.text).toContain('Accept invitation');
    expect(returned.text).toContain(`name="token" value="${token}"`);
    expect(await isMember(orgId, invited.id)).toBe(false);
    const joined = await anonymous
      .post(`${anonymous.base}/login/invitation`, {
        csrf: hiddenField(returned.text, 'csrf'),
        token,
      })
      .expect(200);
    expect(joined.text).toContain('You&#39;ve joined Anon Org');
    expect(await isMember(orgId, invited.id)).toBe(true);
  });

  it('runs the second factor of an invitee with an authenticator app before coming back', async () => {
    const invited = await verifiedUser('mfa');
    const access = (
      (await s.api.signIn(invited.email).expect(200)).body as { access_token: string }
    ).access_token;
    const enrol = await s.api.post('/v1/mfa/totp', {}, access).expect(201);
    const totp = new TOTP({
      secret: Secret.fromBase32(enrol.body.secret as string),
      algorithm: 'SHA1',
      digits: 6,
    });
    await s.api
      .post(
        '/v1/mfa/totp/confirm',
        { factor_id: enrol.body.factor_id, code: totp.generate() },
        access,
      )
      .expect(200);
    const { orgId, token } = await invitation('Second Factor Org', invited.email);

    const browser = hostedBrowser(s.system.dp.url, s.tenant);
    const started = await startSignIn(browser, token, 'sign_in');
    const password = await signInAt(
      browser,
      followed(started, '/login', browser.base).location,
      invited.email,
    );
    const mfa = followed(password, '/login/mfa', browser.base);
    const mfaPage = await browser.get(mfa.location).expect(200);
    // The enrolment spent the current time step: the app's next code.
    const done = await browser
      .post(`${browser.base}/login/mfa`, {
        ...formTokens(mfaPage.text),
        factor: 'totp',
        totp_code: totp.generate({ timestamp: Date.now() + 30_000 }),
      })
      .expect(303);
    const back = followed(done, '/login/invitation', browser.base);
    const returned = await browser.get(back.location).expect(200);
    await browser
      .post(`${browser.base}/login/invitation`, {
        csrf: hiddenField(returned.text, 'csrf'),
        token,
      })
      .expect(200);
    expect(await isMember(orgId, invited.id)).toBe(true);
  });

  it('returns only to the invitation page, with a CSRF-checked start and a live return transaction', async () => {
    const invited = await verifiedUser('safe');
    const { token } = await invitation('Safe Org', invited.email);
    const browser = hostedBrowser(s.system.dp.url, s.tenant);
    const page = await browser.get(pagePath(browser, token)).expect(200);
    const csrf = hiddenField(page.text, 'csrf');
    const start = (form: Record<string, string>, headers: Record<string, string> = {}) =>
      browser.post(
        `${browser.base}/login/invitation`,
        { token, intent: 'sign_in', ...form },
        headers,
      );
    await start({ csrf: 'forged' }).expect(403);
    await start({ csrf }, { Origin: 'https://evil.example' }).expect(403);
    // A token of another invitation does not match the CSRF binding either.
    const other = await invitation('Other Org', invited.email);
    await start({ csrf, token: other.token }).expect(403);
    // An unknown return target is a 400 naming the field, never a redirect.
    const bad = await start({ csrf, intent: 'elsewhere' }).expect(400);
    expect(bad.text).toContain('intent');

    // A client's authorization transaction is not a way back to the page, nor is a made-up one.
    const oidc = await browser
      .authorize({
        client_id: s.web.client_id,
        redirect_uri: APP,
        response_type: 'code',
        scope: 'openid',
        state: 's',
        nonce: 'n',
      })
      .expect(303);
    const clientTx = followed(oidc, '/login', browser.base).tx;
    const foreign = await browser.get(`${browser.base}/login/invitation?tx=${clientTx}`);
    expect(foreign.status).toBe(400);
    expect(foreign.text).not.toContain('Safe Org');
    await browser.get(`${browser.base}/login/invitation?tx=${'A'.repeat(43)}`).expect(400);

    // The return transaction signs in for this page only: its sign-in never reaches a client.
    const started = await start({ csrf }).expect(303);
    const { location } = followed(started, '/login', browser.base);
    const signedIn = await signInAt(browser, location, invited.email);
    expect(String(signedIn.headers.location)).toMatch(
      new RegExp(`^${browser.base}/login/invitation\\?tx=`),
    );
  });

  it('lets an invitee without an account sign up, verify the address and accept', async () => {
    const strict = await s.system.createTenant('invite-strict', {
      require_email_verification: true,
    });
    const strictApi = tenantApi(s.system.dp.url, strict);
    const email = uniqueEmail('newcomer');
    const { orgId, token } = await invitation('Newcomers', email, 'member', strictApi);
    const browser = hostedBrowser(s.system.dp.url, strict);

    const started = await startSignIn(browser, token, 'sign_up');
    const { location, tx } = followed(started, '/login/sign-up', browser.base);
    const form = await browser.get(location).expect(200);
    const checkEmail = await browser
      .post(`${browser.base}/login/sign-up`, {
        ...formTokens(form.text),
        email,
        password: PASSWORD,
      })
      .expect(200);
    expect(checkEmail.text).toContain('Check your email');

    // The verification link, confirmed in the same browser.
    const link = linkTokenIn(await s.mail.next(email), '/login/verify-email');
    const verifyPage = await browser
      .get(`${browser.base}/login/verify-email?token=${link}`)
      .expect(200);
    await browser
      .post(`${browser.base}/login/verify-email`, {
        csrf: hiddenField(verifyPage.text, 'csrf'),
        token: link,
      })
      .expect(200);

    // "Sign in" from the check-email page continues the same transaction, back to the invitation.
    const signedIn = await signInAt(browser, `${browser.base}/login?tx=${tx}`, email);
    const back = followed(signedIn, '/login/invitation', browser.base);
    const returned = await browser.get(back.location).expect(200);
    expect(returned.text).toContain('Accept invitation');
    await browser
      .post(`${browser.base}/login/invitation`, {
        csrf: hiddenField(returned.text, 'csrf'),
        token,
      })
      .expect(200);
    const user = await strictApi.signIn(email).expect(200);
    const orgs = await strictApi.get('/v1/organizations', user.body.access_token as string);
    expect(orgs.body.data).toEqual([expect.objectContaining({ id: orgId, role: 'member' })]);
  });

  it('offers no sign-up where the tenant does not allow it', async () => {
    const closed = await s.system.createTenant('invite-closed', { sign_up_enabled: false });
    const closedApi = tenantApi(s.system.dp.url, closed);
    const admin = await s.system.cpAdminToken('owner');
    const email = uniqueEmail('closed');
    await closedApi
      .post('/v1/admin/users', { email, password: PASSWORD, email_verified: true }, admin)
      .expect(201);
    const { token } = await invitation('Closed', email, 'member', closedApi);
    const browser = hostedBrowser(s.system.dp.url, closed);
    const page = await browser.get(pagePath(browser, token)).expect(200);
    expect(page.text).toContain('Sign in to accept');
    expect(page.text).not.toContain('Create an account');
    // A forged sign_up intent falls back to the sign-in page.
    const started = await browser
      .post(`${browser.base}/login/invitation`, {
        csrf: hiddenField(page.text, 'csrf'),
        token,
        intent: 'sign_up',
      })
      .expect(303);
    followed(started, '/login', browser.base);
  });

  it('tells another signed-in user it is not theirs, without spending it', async () => {
    const invited = await verifiedUser('addressee');
    const other = await verifiedUser('intruder');
    const { orgId, token } = await invitation('Private Org', invited.email);

    const intruder = await signedIn(other.email);
    const refused = await accept(intruder, token);
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('This invitation is for another account');
    expect(refused.text).toContain(other.email);
    expect(refused.text).toContain('Sign in with another account');
    expect(await isMember(orgId, other.id)).toBe(false);

    // "Sign in with another account" asks for credentials despite the session, then returns.
    const switched = await intruder
      .post(`${intruder.base}/login/invitation`, {
        csrf: hiddenField(refused.text, 'csrf'),
        token,
        intent: 'switch',
      })
      .expect(303);
    const { location } = followed(switched, '/login', intruder.base);
    const signedInAgain = await signInAt(intruder, location, invited.email);
    const back = followed(signedInAgain, '/login/invitation', intruder.base);
    const returned = await intruder.get(back.location).expect(200);
    expect(returned.text).toContain('Accept invitation');
    const joined = await intruder
      .post(`${intruder.base}/login/invitation`, {
        csrf: hiddenField(returned.text, 'csrf'),
        token,
      })
      .expect(200);
    expect(joined.text).toContain('You&#39;ve joined Private Org');
    expect(await isMember(orgId, invited.id)).toBe(true);
  });

  it('answers an unknown token with the "not valid" page, and speaks Spanish', async () => {
    const browser = hostedBrowser(s.system.dp.url, s.tenant);
    const unknown = await browser.get(pagePath(browser, 'not-a-real-token')).expect(400);
    expect(unknown.text).toContain('This invitation is not valid');

    const invited = await verifiedUser('es');
    const { token } = await invitation('Equipo', invited.email, 'member');
    const page = await browser
      .get(pagePath(browser, token))
      .set('Accept-Language', 'es')
      .expect(200);
    expect(page.text).toContain('Únete a Equipo');
    expect(page.text).toContain('Inicia sesión para aceptar');
    expect(page.text).toContain('lang="es"');
  });
});
