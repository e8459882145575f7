import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import request from 'supertest';
import { PASSWORD, tenantApi } from './support/auth-client';
import { startDpSystem, type DpSystem, type TestTenant } from './support/dp-system';
import type { RegisteredClient } from './support/fake-clients';
import {
  openSignIn as openHostedSignIn,
  pressProviderButton,
} from './support/federated-round-trip';
import { hiddenField } from './support/hosted-browser';
import { startGitHubStandIn, type GitHubStandIn } from './support/github-stand-in';
import { tenantDb } from './support/oidc-fixtures';
import {
  cookieBrowser,
  startUpstreamOp,
  type CookieBrowser,
  type UpstreamOp,
} from './support/upstream-op';

jest.setTimeout(90_000);

const APP = 'https://app.example.com/cb';
const UPSTREAM_SECRET = 'upstream-secret-0123456789';

/**
 * Federation through the hosted login against a real upstream OpenID Provider (oidc-provider in
 * its own process): the browser (a cookie jar, no redirects followed) goes to the data plane's
 * /authorize, the provider's button, the provider's login, back to the callback, and to the
 * client with a code whose tokens say `amr: ["fed"]` (docs/federation.md).
 */
describe('federation: sign in with an upstream OpenID Provider', () => {
  let system: DpSystem;
  let tenant: TestTenant;
  let web: RegisteredClient;
  let op: UpstreamOp;
  let github: GitHubStandIn;
  const githubId = randomUUID();
  const stops: (() => Promise<void>)[] = [];
  const providerId = randomUUID();
  const disabledId = randomUUID();
  /** A tenant with `federation.auto_link_verified_email`, and one with `mfa: required`. */
  const auto = { id: randomUUID() } as { id: string; tenant: TestTenant; web: RegisteredClient };
  const strict = { id: randomUUID() } as { id: string; tenant: TestTenant; web: RegisteredClient };
  let autoExisting: { id: string; email: string };
  let existing: { id: string; email: string };
  const accounts: Record<string, Record<string, unknown>> = {};

  // The issuer's origin (127.0.0.1), as the provider redirects back to it: one cookie jar host.
  const dpUrl = () => new URL(tenant.issuer).origin;
  const callbackOf = (id: string, on: TestTenant = tenant) =>
    `${on.issuer}/login/federated/${id}/callback`;

  function providerEntry(id: string, extra: Record<string, unknown> = {}) {
    return {
      id,
      type: 'oidc',
      name: 'Acme SSO',
      enabled: true,
      issuer: op.issuer,
      client_id: 'hellojohn',
      client_secret: UPSTREAM_SECRET,
      scopes: ['openid', 'email', 'profile'],
      attribute_mapping: { email: 'email', name: 'name', picture: 'picture' },
      icon_url: null,
      button_label: null,
      store_upstream_tokens: false,
      apple: null,
      endpoints: {},
      ...extra,
    };
  }

  beforeAll(async () => {
    system = await startDpSystem();
    stops.push(() => system.close());
    tenant = await system.createTenant('fed');
    web = await system.clients.register(tenant.id, {
      type: 'confidential',
      grant_types: ['authorization_code', 'refresh_token'],
      redirect_uris: [APP],
      settings: { first_party: true },
    });
    existing = await tenantApi(system.dp.url, tenant).newUser('existing');
    for (const [ctx, settings] of [
      [auto, { federation: { auto_link_verified_email: true } }],
      [strict, { mfa: 'required' }],
    ] as const) {
      ctx.tenant = await system.createTenant('fedx', settings);
      ctx.web = await system.clients.register(ctx.tenant.id, {
        type: 'confidential',
        grant_types: ['authorization_code'],
        redirect_uris: [APP],
        settings: { first_party: true },
      });
    }
    autoExisting = await tenantApi(system.dp.url, auto.tenant).newUser('auto');
    accounts['verified-existing'] = { email: autoExisting.email, email_verified: true };
    accounts['lister'] = { email: `lister-${randomUUID()}@upstream.test`, email_verified: true };
    accounts['new-sub'] = {
      email: `new-${randomUUID()}@upstream.test`,
      email_verified: true,
      name: 'New Person',
    };
    accounts['unverified-sub'] = { email: existing.email, email_verified: false, name: 'Existing' };
    op = await startUpstreamOp({
      clients: [
        {
          client_id: 'hellojohn',
          client_secret: UPSTREAM_SECRET,
          redirect_uris: [
            callbackOf(providerId),
            callbackOf(disabledId),
            callbackOf(auto.id, auto.tenant),
            callbackOf(strict.id, strict.tenant),
          ],
        },
      ],
      accounts,
    });
    stops.push(() => op.close());
    github = await startGitHubStandIn({
      clientId: 'gh-client',
      clientSecret: 'gh-secret',
      user: { id: 4242, login: 'octo', name: 'Octo Cat' },
      emails: [
        { email: 'octo-old@upstream.test', primary: false, verified: true },
        { email: `octo-${randomUUID()}@upstream.test`, primary: true, verified: true },
      ],
    });
    stops.push(() => github.close());
    await system.identityProviders.set(tenant.id, [
      providerEntry(providerId),
      providerEntry(disabledId, { name: 'Old SSO', enabled: false }),
      providerEntry(githubId, {
        type: 'github',
        name: 'GitHub',
        issuer: null,
        client_id: 'gh-client',
        client_secret: 'gh-secret',
        scopes: ['read:user', 'user:email'],
        endpoints: {
          authorization: `${github.url}/login/oauth/authorize`,
          token: `${github.url}/login/oauth/access_token`,
          api: github.url,
        },
      }),
    ]);
    await system.identityProviders.set(auto.tenant.id, [providerEntry(auto.id)]);
    await system.identityProviders.set(strict.tenant.id, [providerEntry(strict.id)]);
  });
  afterAll(async () => {
    // Whatever part of beforeAll ran (a slow machine may time it out) is stopped.
    await Promise.all(stops.map((stop) => stop()));
  });

  /** /authorize to the sign-in page; returns the page and its tx. */
  const openSignIn = (
    browser: CookieBrowser,
    on: { tenant: TestTenant; web: RegisteredClient } = { tenant, web },
  ) =>
    openHostedSignIn(browser, {
      dpUrl: dpUrl(),
      tenantSlug: on.tenant.slug,
      clientId: on.web.client_id,
      redirectUri: APP,
      scope: 'openid email profile',
      nonce: 'client-nonce',
    });

  /** From the button to the provider's login, signed in upstream as `sub`; returns the callback URL. */
  async function upstreamSignIn(
    browser: CookieBrowser,
    tx: string,
    sub: string,
    tamper: (authorizeUrl: URL) => void = () => undefined,
    on: { tenant: TestTenant; id: string } = { tenant, id: providerId },
  ): Promise<string> {
    const authorize = await pressProviderButton(
      browser,
      { dpUrl: dpUrl(), tenantSlug: on.tenant.slug },
      on.id,
      tx,
      op.issuer,
    );
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('redirect_uri')).toBe(callbackOf(on.id, on.tenant));
    tamper(authorize);
    const interaction = await browser.get(authorize.href);
    expect(interaction.status).toBe(303);
    const interactionUrl = browser.location(interaction, op.issuer);
    const submitted = await browser.post(interactionUrl, { prompt: 'login', login: sub });
    expect(submitted.status).toBe(303);
    const resumed = await browser.get(browser.location(submitted, op.issuer));
    expect(resumed.status).toBe(303);
    const back = browser.location(resumed, op.issuer);
    expect(back.startsWith(callbackOf(on.id, on.tenant))).toBe(true);
    return back;
  }

  async function tokensOf(location: string) {
    const url = new URL(location);
    expect(`${url.origin}${url.pathname}`).toBe(APP);
    const code = url.searchParams.get('code');
    expect(code).toBeTruthy();
    return url;
  }

  it('shows one button per enabled provider, linking to /login/federated/{id}', async () => {
    const browser = cookieBrowser();
    const { page, tx } = await openSignIn(browser);
    expect(page).toContain(`/t/${tenant.slug}/login/federated/${providerId}?tx=${tx}`);
    expect(page).toContain('Continue with Acme SSO');
    expect(page).not.toContain(disabledId);
  });

  it('creates a new user on a first sign-in, then finds the same user by (provider, sub)', async () => {
    const browser = cookieBrowser();
    const { tx } = await openSignIn(browser);
    const callback = await browser.get(await upstreamSignIn(browser, tx, 'new-sub'));
    expect(callback.status).toBe(303);
    const url = await tokensOf(browser.location(callback, dpUrl()));
    expect(url.searchParams.get('state')).toBe('client-state');
    const db = tenantDb(system, tenant);
    const email = String(accounts['new-sub']?.['email']);
    const user = await db.users.findByEmailNormalized(email);
    expect(user).toMatchObject({ email, emailVerified: true, name: 'New Person' });
    const identity = await db.userIdentities.find(providerId, 'new-sub');
    expect(identity?.userId).toBe(user?.id);
    expect(identity?.tokensSealed).toBeNull();
    const codeRow = await db.authorizationCodes.findByHash(
      (await import('node:crypto'))
        .createHash('sha256')
        .update(String(url.searchParams.get('code')))
        .digest('hex'),
    );
    expect(codeRow?.amr).toEqual(['fed']);
    const audit = await db.auditLog.list({ limit: 50 });
    const actions = audit.rows.filter((row) => row.userId === user?.id).map((row) => row.action);
    expect(actions).toEqual(
      expect.arrayContaining(['user.signed_up', 'user.identity_linked', 'user.signed_in']),
    );

    // Returning user: a fresh browser, the same upstream sub, the same account.
    const again = cookieBrowser();
    const second = await openSignIn(again);
    const back = await again.get(await upstreamSignIn(again, second.tx, 'new-sub'));
    expect(back.status).toBe(303);
    await tokensOf(again.location(back, dpUrl()));
    const users = await db.users.findByEmailNormalized(email);
    expect(users?.id).toBe(user?.id);
    expect((await db.userIdentities.listByUser(String(user?.id))).length).toBe(1);
  });

  it('asks for the password of the existing account when the email is not verified upstream, then links', async () => {
    const browser = cookieBrowser();
    const { tx } = await openSignIn(browser);
    const callback = await browser.get(await upstreamSignIn(browser, tx, 'unverified-sub'));
    expect(callback.status).toBe(200);
    const page = await callback.text();
    expect(page).toContain('Link your account');
    const db = tenantDb(system, tenant);
    expect(await db.userIdentities.find(providerId, 'unverified-sub')).toBeUndefined();
    const form = {
      tx: hiddenField(page, 'tx'),
      csrf: hiddenField(page, 'csrf'),
      link: hiddenField(page, 'link'),
    };
    const linkUrl = `${dpUrl()}/t/${tenant.slug}/login/federated/${providerId}/link`;
    const wrong = await browser.post(linkUrl, { ...form, password: 'not-the-password' });
    expect(wrong.status).toBe(401);
    const retry = await wrong.text();
    // The spent pending link is replaced; the old one is refused.
    const replay = await browser.post(linkUrl, { ...form, password: PASSWORD });
    expect(replay.status).toBe(400);
    const done = await browser.post(linkUrl, {
      tx: hiddenField(retry, 'tx'),
      csrf: hiddenField(retry, 'csrf'),
      link: hiddenField(retry, 'link'),
      password: PASSWORD,
    });
    expect(done.status).toBe(303);
    await tokensOf(browser.location(done, dpUrl()));
    const identity = await db.userIdentities.find(providerId, 'unverified-sub');
    expect(identity?.userId).toBe(existing.id);
  });

  it('refuses a disabled provider with a page, never a redirect upstream', async () => {
    const browser = cookieBrowser();
    const { tx } = await openSignIn(browser);
    const res = await browser.get(
      `${dpUrl()}/t/${tenant.slug}/login/federated/${disabledId}?tx=${tx}`,
    );
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('not available');
  });

  it('refuses a tampered state (403 page) and a callback from another browser', async () => {
    const browser = cookieBrowser();
    const { tx } = await openSignIn(browser);
    const back = new URL(await upstreamSignIn(browser, tx, 'new-sub'));
    const tampered = new URL(back);
    tampered.searchParams.set('state', `${String(back.searchParams.get('state')).slice(0, -2)}xx`);
    const res = await browser.get(tampered.href);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('expired or was already used');
    const other = await cookieBrowser().get(back.href);
    expect(other.status).toBe(403);
  });

  it('shows a clear page when the user cancels upstream (access_denied)', async () => {
    const browser = cookieBrowser();
    const { tx } = await openSignIn(browser);
    const go = await browser.get(
      `${dpUrl()}/t/${tenant.slug}/login/federated/${providerId}?tx=${tx}`,
    );
    const interaction = await browser.get(browser.location(go, dpUrl()));
    const abort = await browser.get(`${browser.location(interaction, op.issuer)}/abort`);
    expect(abort.status).toBe(303);
    const resumed = await browser.get(browser.location(abort, op.issuer));
    expect(resumed.status).toBe(303);
    const back = browser.location(resumed, op.issuer);
    expect(new URL(back).searchParams.get('error')).toBe('access_denied');
    const res = await browser.get(back);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('You cancelled the sign-in with Acme SSO');
  });

  it('refuses an ID token whose nonce is not the one sent', async () => {
    const browser = cookieBrowser();
    const { tx } = await openSignIn(browser);
    const back = await upstreamSignIn(browser, tx, 'new-sub', (url) => {
      url.searchParams.set('nonce', 'someone-elses-nonce');
    });
    const res = await browser.get(back);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('did not sign you in');
  });

  /** Redeems the code at the data plane's token endpoint, as the client would (PKCE). */
  async function redeem(
    location: string,
    verifier: string,
    on: { tenant: TestTenant; web: RegisteredClient } = { tenant, web },
  ) {
    const code = String(new URL(location).searchParams.get('code'));
    const res = await request(system.dp.url)
      .post(`/t/${on.tenant.slug}/oauth2/token`)
      .auth(on.web.client_id, String(on.web.client_secret))
      .type('form')
      .send({ grant_type: 'authorization_code', code, redirect_uri: APP, code_verifier: verifier })
      .expect(200);
    return res.body as { access_token: string; id_token: string };
  }

  it('issues tokens like a password sign-in with amr ["fed"]; the user lists and cannot unlink the last way in', async () => {
    const browser = cookieBrowser();
    const { tx, verifier } = await openSignIn(browser);
    const back = await browser.get(await upstreamSignIn(browser, tx, 'lister'));
    expect(back.status).toBe(303);
    const tokens = await redeem(browser.location(back, dpUrl()), verifier);
    expect(decodeJwt(tokens.id_token)['amr']).toEqual(['fed']);
    expect(decodeJwt(tokens.access_token)['amr'] ?? ['fed']).toEqual(['fed']);
    const me = (path: string) =>
      request(system.dp.url)
        .get(`/t/${tenant.slug}${path}`)
        .set('Authorization', `Bearer ${tokens.access_token}`);
    const list = await me('/v1/me/identities').expect(200);
    const identities = (
      list.body as { data: { id: string; provider_name: string; subject: string }[] }
    ).data;
    expect(identities).toEqual([
      expect.objectContaining({
        provider_id: providerId,
        provider_name: 'Acme SSO',
        subject: 'lister',
      }),
    ]);
    expect(JSON.stringify(list.body)).not.toMatch(/tokens?_sealed/);
    // No password, no passkey, no other identity: unlinking would lock the user out.
    const refused = await request(system.dp.url)
      .delete(`/t/${tenant.slug}/v1/me/identities/${identities[0]?.id}`)
      .set('Authorization', `Bearer ${tokens.access_token}`)
      .expect(409);
    expect(refused.body.code).toBe('last_sign_in_method');
    const userId = String(decodeJwt(tokens.id_token).sub);
    const admin = await system.cpAdminToken('viewer');
    const seen = await request(system.dp.url)
      .get(`/t/${tenant.slug}/v1/admin/users/${userId}/identities`)
      .set('Authorization', `Bearer ${admin}`)
      .expect(200);
    expect((seen.body as { data: unknown[] }).data).toHaveLength(1);
  });

  it('unlinks an identity of a user who also has a password', async () => {
    const db = tenantDb(system, tenant);
    const linked = await db.userIdentities.find(providerId, 'unverified-sub');
    expect(linked?.userId).toBe(existing.id);
    const api = tenantApi(system.dp.url, tenant);
    const signedIn = await api.signIn(existing.email).expect(200);
    const token = (signedIn.body as { access_token: string }).access_token;
    await request(system.dp.url)
      .delete(`/t/${tenant.slug}/v1/me/identities/${linked?.id}`)
      .set('Authorization', `Bearer ${token}`)
      .expect(204);
    expect(await db.userIdentities.find(providerId, 'unverified-sub')).toBeUndefined();
  });

  it('links at once to the account with the same email when the provider verified it and the tenant allows it', async () => {
    const browser = cookieBrowser();
    const { tx } = await openSignIn(browser, auto);
    const back = await browser.get(
      await upstreamSignIn(browser, tx, 'verified-existing', undefined, {
        tenant: auto.tenant,
        id: auto.id,
      }),
    );
    expect(back.status).toBe(303);
    await tokensOf(browser.location(back, dpUrl()));
    const identity = await tenantDb(system, auto.tenant).userIdentities.find(
      auto.id,
      'verified-existing',
    );
    expect(identity?.userId).toBe(autoExisting.id);
  });

  it('still asks for a second factor when the tenant requires MFA', async () => {
    const browser = cookieBrowser();
    const { tx } = await openSignIn(browser, strict);
    const back = await browser.get(
      await upstreamSignIn(browser, tx, 'new-sub', undefined, {
        tenant: strict.tenant,
        id: strict.id,
      }),
    );
    expect(back.status).toBe(303);
    expect(browser.location(back, dpUrl())).toContain(
      `/t/${strict.tenant.slug}/login/mfa/enrol?tx=`,
    );
  });

  it('signs in with the GitHub preset against a stand-in: numeric id as subject, verified primary email', async () => {
    const browser = cookieBrowser();
    const { tx } = await openSignIn(browser);
    const go = await browser.get(
      `${dpUrl()}/t/${tenant.slug}/login/federated/${githubId}?tx=${tx}`,
    );
    expect(go.status).toBe(303);
    const authorize = new URL(browser.location(go, dpUrl()));
    expect(authorize.origin).toBe(github.url);
    expect(authorize.searchParams.get('scope')).toBe('read:user user:email');
    const upstream = await browser.get(authorize.href);
    expect(upstream.status).toBe(302);
    const back = await browser.get(browser.location(upstream, github.url));
    expect(back.status).toBe(303);
    await tokensOf(browser.location(back, dpUrl()));
    const db = tenantDb(system, tenant);
    const identity = await db.userIdentities.find(githubId, '4242');
    const user = await db.users.findById(String(identity?.userId));
    expect(user?.email).toMatch(/^octo-.*@upstream\.test$/);
    expect(user).toMatchObject({ emailVerified: true, name: 'Octo Cat' });
  });

  it('keeps the client secret away from the browser', async () => {
    const res = await request(system.dp.url).get(
      `/t/${tenant.slug}/.well-known/openid-configuration`,
    );
    expect(JSON.stringify(res.body)).not.toContain(UPSTREAM_SECRET);
  });
});
