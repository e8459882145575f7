import { randomUUID } from 'node:crypto';
import { PASSWORD, tenantApi, uniqueEmail, type TenantApi } from './support/auth-client';
import { startDpSystem, type DpSystem, type TestTenant } from './support/dp-system';
import { firstPartyWebApp, type RegisteredClient } from './support/fake-clients';
import {
  hiddenField,
  hostedBrowser,
  signInThrough,
  type HostedBrowser,
} from './support/hosted-browser';
import { linkTokenIn, startMailCatcher, type MailCatcher, mailEnv } from './support/mail-catcher';

jest.setTimeout(60_000);

const APP = 'https://app.example.com/cb';

/**
 * The hosted page the invitation mail links to (docs/organizations.md), driven as a browser
 * without JavaScript: GET shows the offer and spends nothing, the POST (CSRF) accepts for the
 * browser's signed-in user when they own the invited, verified address; anyone else leaves it
 * unspent. Mails go over real SMTP to an in-process server.
 */
describe('hosted invitation page', () => {
  let mail: MailCatcher;
  let system: DpSystem;
  let tenant: TestTenant;
  let api: TenantApi;
  let web: RegisteredClient;

  beforeAll(async () => {
    mail = await startMailCatcher();
    system = await startDpSystem(mailEnv(mail));
    tenant = await system.createTenant('invite');
    api = tenantApi(system.dp.url, tenant);
    web = await system.clients.register(tenant.id, firstPartyWebApp(APP));
  });
  afterAll(async () => {
    await system.close();
    await mail.close();
  });

  /** A user with a verified address, made by a tenant admin. */
  async function verifiedUser(prefix: string) {
    const admin = await system.cpAdminToken('owner');
    const email = uniqueEmail(prefix);
    const made = await api
      .post('/v1/admin/users', { email, password: PASSWORD, email_verified: true }, admin)
      .expect(201);
    return { id: made.body.id as string, email };
  }

  /** An organization named `name` inviting `email` as `role`; the mailed token. */
  async function invitation(name: string, email: string, role = 'admin') {
    const owner = await api.newUser('inv-owner');
    const org = await api
      .post(
        '/v1/organizations',
        { name, slug: `org-${randomUUID().slice(0, 8)}` },
        owner.tokens.access_token,
      )
      .expect(201);
    await api
      .post(
        `/v1/organizations/${org.body.id}/invitations`,
        { email, role },
        owner.tokens.access_token,
      )
      .expect(201);
    return {
      orgId: org.body.id as string,
      owner,
      token: linkTokenIn(await mail.next(email), '/login/invitation'),
    };
  }

  /** A browser signed in to the hosted login as `email`. */
  async function signedIn(email: string): Promise<HostedBrowser> {
    const browser = hostedBrowser(system.dp.url, tenant);
    await signInThrough(
      browser,
      {
        client_id: web.client_id,
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
    (await system.dp.deps.pools
      .get({ tenantId: tenant.id, database: { mode: 'managed' } })
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

  it('asks a browser without a session to sign in first, and leaves the invitation unspent', async () => {
    const invited = await verifiedUser('anon');
    const { orgId, token } = await invitation('Anon Org', invited.email);
    const anonymous = hostedBrowser(system.dp.url, tenant);
    const answer = await accept(anonymous, token);
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('Sign in to accept');
    expect(await isMember(orgId, invited.id)).toBe(false);

    // Signed in afterwards, the same link still works.
    const browser = await signedIn(invited.email);
    expect((await accept(browser, token)).status).toBe(200);
    expect(await isMember(orgId, invited.id)).toBe(true);
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
    expect(await isMember(orgId, other.id)).toBe(false);

    const browser = await signedIn(invited.email);
    expect((await accept(browser, token)).status).toBe(200);
    expect(await isMember(orgId, invited.id)).toBe(true);
  });

  it('answers an unknown token with the "not valid" page, and speaks Spanish', async () => {
    const browser = hostedBrowser(system.dp.url, tenant);
    const unknown = await browser.get(pagePath(browser, 'not-a-real-token')).expect(400);
    expect(unknown.text).toContain('This invitation is not valid');

    const invited = await verifiedUser('es');
    const { token } = await invitation('Equipo', invited.email, 'member');
    const page = await browser
      .get(pagePath(browser, token))
      .set('Accept-Language', 'es')
      .expect(200);
    expect(page.text).toContain('Únete a Equipo');
    expect(page.text).toContain('Aceptar la invitación');
    expect(page.text).toContain('lang="es"');
  });
});
