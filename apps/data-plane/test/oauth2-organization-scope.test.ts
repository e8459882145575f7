import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import request from 'supertest';
import { PASSWORD, tenantApi, type TenantApi } from './support/auth-client';
import { startDpSystem, type DpSystem, type TestTenant } from './support/dp-system';
import { codeFlowClient } from './support/fake-clients';
import { formTokens, hostedBrowser, signInThrough } from './support/hosted-browser';
import { codeFlowTokens, pkcePair, tenantDb, verifyIdToken } from './support/oidc-fixtures';
import { oauthApi, type ClientCredentials, type OAuthApi } from './support/oauth-client';

jest.setTimeout(60_000);

const APP_CB = 'https://app.example.com/cb';

/**
 * The OIDC `organization` scope (docs/organizations.md): advertised, asked at /authorize and
 * shown on the consent page; the ID token and userinfo carry `organizations` and the active
 * organization's `org_id`/`org_role`, the access token the authorization claims; a refresh with
 * `organization_id` switches the active organization for members only.
 */
describe('OIDC organization scope (data plane)', () => {
  let system: DpSystem;
  let tenant: TestTenant;
  let api: TenantApi;
  let oauth: OAuthApi;
  let web: ClientCredentials;

  beforeAll(async () => {
    system = await startDpSystem();
    tenant = await system.createTenant('org-scope');
    api = tenantApi(system.dp.url, tenant);
    oauth = oauthApi(system.dp.url, tenant);
    web = await system.clients.register(tenant.id, codeFlowClient(APP_CB));
  });
  afterAll(async () => {
    await system.close();
  });

  /** A user who owns one organization and is a `member` of another. */
  async function member() {
    const user = await api.newUser('org-scope');
    const org = async (name: string) =>
      (
        await api
          .post(
            '/v1/organizations',
            { name, slug: `o-${randomUUID().slice(0, 8)}` },
            user.tokens.access_token,
          )
          .expect(201)
      ).body as { id: string };
    const owned = await org('Owned');
    const joined = await org('Joined');
    // Stepping down to member in the second needs another owner there.
    const other = await api.newUser('co-owner');
    const db = tenantDb(system, tenant);
    await db.memberships.add({
      id: randomUUID(),
      organizationId: joined.id,
      userId: other.id,
      role: 'owner',
    });
    await db.memberships.changeRole(joined.id, user.id, 'member');
    return { user, owned, joined };
  }

  const tokensOf = (userId: string, scope: string) =>
    codeFlowTokens(system, tenant, web, {
      userId,
      redirectUri: APP_CB,
      scope,
      nonce: 'n-org',
      challenge: null,
    });
  const refresh = (refreshToken: string, extra: Record<string, string> = {}) =>
    oauth.post(
      'token',
      { grant_type: 'refresh_token', refresh_token: refreshToken, ...extra },
      { basic: web },
    );
  const userinfo = (token: string) =>
    request(system.dp.url)
      .get(`/t/${tenant.slug}/userinfo`)
      .set('Authorization', `Bearer ${token}`)
      .expect(200);

  it('is advertised in discovery with its claims', async () => {
    const res = await request(system.dp.url)
      .get(`/t/${tenant.slug}/.well-known/openid-configuration`)
      .expect(200);
    expect(res.body.scopes_supported).toContain('organization');
    expect(res.body.claims_supported).toEqual(
      expect.arrayContaining(['org_id', 'org_role', 'organizations']),
    );
  });

  it('is asked at /authorize, shown on the consent page, and carried by the code’s tokens', async () => {
    const { user, owned, joined } = await member();
    const browser = hostedBrowser(system.dp.url, tenant);
    const { verifier, challenge } = pkcePair();
    const params = {
      client_id: web.client_id,
      redirect_uri: APP_CB,
      response_type: 'code',
      scope: 'openid organization',
      state: 'st',
      nonce: 'n',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    };
    const toConsent = await signInThrough(browser, params, {
      email: user.email,
      password: PASSWORD,
    });
    const page = await browser.get(String(toConsent.headers.location)).expect(200);
    expect(page.text).toContain('See your organizations and your role in each');
    const allowed = await browser
      .post(`${browser.base}/login/consent`, { ...formTokens(page.text), decision: 'allow' })
      .expect(303);
    const code = new URL(String(allowed.headers.location)).searchParams.get('code') ?? '';
    const res = await oauth
      .post(
        'token',
        {
          grant_type: 'authorization_code',
          code,
          redirect_uri: APP_CB,
          code_verifier: verifier,
        },
        { basic: web },
      )
      .expect(200);
    const { payload } = await verifyIdToken(system, tenant, res.body.id_token, web.client_id);
    expect(payload['organizations']).toEqual(
      expect.arrayContaining([
        { id: owned.id, role: 'owner' },
        { id: joined.id, role: 'member' },
      ]),
    );
    // A new client session has no active organization yet.
    expect(payload).not.toHaveProperty('org_id');
    const access = decodeJwt(res.body.access_token as string);
    expect(access).toMatchObject({ scope: 'openid organization', roles: [] });
    expect(access).toHaveProperty('permissions');
    expect(access).not.toHaveProperty('org_id');
    const info = await userinfo(res.body.access_token as string);
    expect(info.body.organizations).toHaveLength(2);
  });

  it('switches the active organization on refresh, for members only', async () => {
    const { user, joined } = await member();
    const first = await tokensOf(user.id, 'openid organization offline_access');

    const stranger = (await member()).owned;
    const refused = await refresh(first.body.refresh_token, { organization_id: stranger.id });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('invalid_request');

    // Refused before spending: the same refresh token still works.
    const switched = await refresh(first.body.refresh_token, {
      organization_id: joined.id,
    }).expect(200);
    const { payload } = await verifyIdToken(system, tenant, switched.body.id_token, web.client_id);
    expect(payload).toMatchObject({ org_id: joined.id, org_role: 'member' });
    const access = decodeJwt(switched.body.access_token as string);
    expect(access).toMatchObject({ org_id: joined.id, org_role: 'member' });
    const info = await userinfo(switched.body.access_token as string);
    expect(info.body).toMatchObject({ sub: user.id, org_id: joined.id, org_role: 'member' });
    expect(info.body.permissions).toEqual(access['permissions']);

    // Removed from the organization: the next token drops it.
    await tenantDb(system, tenant).memberships.remove(joined.id, user.id);
    const after = await refresh(switched.body.refresh_token).expect(200);
    expect(decodeJwt(after.body.id_token as string)).not.toHaveProperty('org_id');
    expect(decodeJwt(after.body.access_token as string)).not.toHaveProperty('org_id');
  });

  it('carries nothing of organizations without the scope, and refuses to switch', async () => {
    const { user, owned } = await member();
    const first = await tokensOf(user.id, 'openid offline_access');
    expect(decodeJwt(first.body.id_token)).not.toHaveProperty('organizations');
    expect(decodeJwt(first.body.access_token)).not.toHaveProperty('permissions');
    const info = await userinfo(first.body.access_token);
    expect(info.body).not.toHaveProperty('organizations');
    const refused = await refresh(first.body.refresh_token, { organization_id: owned.id });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('invalid_scope');
  });

  it('keeps organizations within the ID token budget; userinfo answers them all', async () => {
    const user = await api.newUser('many-orgs');
    const db = tenantDb(system, tenant);
    for (let i = 0; i < 51; i += 1) {
      const org = await db.organizations.create({
        id: randomUUID(),
        slug: `m-${randomUUID().slice(0, 12)}`,
        name: `Org ${i}`,
      });
      await db.memberships.add({
        id: randomUUID(),
        organizationId: org.id,
        userId: user.id,
        role: 'member',
      });
    }
    const tokens = await tokensOf(user.id, 'openid organization');
    const idToken = decodeJwt(tokens.body.id_token);
    expect(idToken).not.toHaveProperty('organizations');
    expect(idToken['organizations_ref']).toBe(true);
    const info = await userinfo(tokens.body.access_token);
    expect(info.body.organizations).toHaveLength(51);
  });
});
