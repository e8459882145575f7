import type { TenantDb } from '@hellojohn/dal';
import request from 'supertest';
import { tenantApi, type TenantApi } from './support/auth-client';
import { startDpSystem, type DpSystem, type TestTenant } from './support/dp-system';
import { codeFlowClient } from './support/fake-clients';
import { codeFlowTokens, tenantDb } from './support/oidc-fixtures';
import { oauthApi, type ClientCredentials, type OAuthApi } from './support/oauth-client';

jest.setTimeout(60_000);

const APP_CB = 'https://app.example.com/cb';
const SCOPE = 'openid profile offline_access';

interface ConsentView {
  client_id: string;
  client_name: string | null;
  scopes: string[];
  granted_at: string;
  updated_at: string;
}

/** `/v1/me/consents` and `/v1/admin/users/{id}/consents`: remembered consents, revocable. */
describe('consents (data plane)', () => {
  let system: DpSystem;
  let main: TestTenant;
  let api: TenantApi;
  let oauth: OAuthApi;
  let db: TenantDb;
  let first: ClientCredentials;
  let second: ClientCredentials;

  beforeAll(async () => {
    system = await startDpSystem();
    main = await system.createTenant('consents');
    api = tenantApi(system.dp.url, main);
    oauth = oauthApi(system.dp.url, main);
    db = tenantDb(system, main);
    first = await system.clients.register(main.id, codeFlowClient(APP_CB));
    second = await system.clients.register(main.id, codeFlowClient(APP_CB));
  });
  afterAll(async () => {
    await system.close();
  });

  /** A code-flow session of `client` for the user, as the hosted login would start it. */
  async function codeFlowSession(client: ClientCredentials, userId: string) {
    const { body } = await codeFlowTokens(system, main, client, {
      userId,
      redirectUri: APP_CB,
      scope: SCOPE,
      challenge: null,
    });
    return body;
  }

  const refresh = (client: ClientCredentials, refreshToken: string) =>
    oauth.post(
      'token',
      { grant_type: 'refresh_token', refresh_token: refreshToken },
      { basic: client },
    );

  const listConsents = async (token: string): Promise<ConsentView[]> => {
    const res = await api.get('/v1/me/consents', token).expect(200);
    return (res.body as { data: ConsentView[] }).data;
  };

  it('lists the user’s consents with client names (null once deleted), a page at a time', async () => {
    const user = await api.newUser('lister');
    await db.consents.grant(user.id, first.client_id, ['profile', 'openid', 'profile']);
    await db.consents.grant(user.id, second.client_id, ['openid']);
    await db.consents.grant(user.id, 'hjc_deleted_long_ago', ['openid', 'email']);

    const all = await listConsents(user.tokens.access_token);
    // Grants in the same millisecond tie on created_at; their order is the id's, so unordered here.
    expect(all).toHaveLength(3);
    expect(all).toEqual(
      expect.arrayContaining([
        {
          client_id: 'hjc_deleted_long_ago',
          client_name: null,
          scopes: ['email', 'openid'],
          granted_at: expect.any(String),
          updated_at: expect.any(String),
        },
        expect.objectContaining({ client_id: second.client_id, client_name: 'Test client' }),
        expect.objectContaining({
          client_id: first.client_id,
          client_name: 'Test client',
          scopes: ['openid', 'profile'],
        }),
      ]),
    );

    const page1 = await api.get('/v1/me/consents?limit=2', user.tokens.access_token).expect(200);
    expect(page1.body.data).toHaveLength(2);
    expect(page1.body.next_cursor).toEqual(expect.any(String));
    const page2 = await api
      .get(
        `/v1/me/consents?limit=2&cursor=${encodeURIComponent(page1.body.next_cursor as string)}`,
        user.tokens.access_token,
      )
      .expect(200);
    expect(page2.body.data).toHaveLength(1);
    expect(page2.body.next_cursor).toBeNull();
    expect([...page1.body.data, ...page2.body.data]).toEqual(all);

    const bad = await api.get('/v1/me/consents?cursor=nope', user.tokens.access_token).expect(400);
    expect(bad.body.code).toBe('invalid_cursor');
    const tooMany = await api.get('/v1/me/consents?limit=101', user.tokens.access_token);
    expect(tooMany.status).toBe(400);
  });

  it('revokes one consent and ends only the sessions of that client', async () => {
    const user = await api.newUser('revoker');
    await db.consents.grant(user.id, first.client_id, ['openid', 'profile', 'offline_access']);
    await db.consents.grant(user.id, second.client_id, ['openid', 'profile', 'offline_access']);
    const ofFirst = await codeFlowSession(first, user.id);
    const ofSecond = await codeFlowSession(second, user.id);

    await api.del(`/v1/me/consents/${first.client_id}`, user.tokens.access_token).expect(204);

    expect((await listConsents(user.tokens.access_token)).map((c) => c.client_id)).toEqual([
      second.client_id,
    ]);
    expect(await db.consents.find(user.id, first.client_id)).toBeUndefined();
    // The client's refresh token dies and its access token stops at userinfo.
    const refused = await refresh(first, ofFirst.refresh_token).expect(400);
    expect(refused.body.error).toBe('invalid_grant');
    await request(system.dp.url)
      .get(`/t/${main.slug}/userinfo`)
      .set('Authorization', `Bearer ${ofFirst.access_token}`)
      .expect(401);
    // The other client's session, and the user's own first-party one, live on.
    await refresh(second, ofSecond.refresh_token).expect(200);
    await api.get('/v1/me', user.tokens.access_token).expect(200);

    const log = await db.auditLog.list({ limit: 10, action: 'consent.revoked', userId: user.id });
    expect(log.rows).toEqual([
      expect.objectContaining({
        outcome: 'success',
        actor: `user:${user.id}`,
        details: { client_id: first.client_id, sessions_revoked: 1 },
      }),
    ]);

    // Revoked already: nothing to withdraw.
    const again = await api
      .del(`/v1/me/consents/${first.client_id}`, user.tokens.access_token)
      .expect(404);
    expect(again.body).toMatchObject({ status: 404, code: 'consent_not_found' });
  });

  it('answers 404 for an unknown client, 401 without a token, and hides other users’ consents', async () => {
    const owner = await api.newUser('owner');
    const stranger = await api.newUser('stranger');
    await db.consents.grant(owner.id, first.client_id, ['openid']);

    const unknown = await api
      .del('/v1/me/consents/hjc_no_such_client', owner.tokens.access_token)
      .expect(404);
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(unknown.body.code).toBe('consent_not_found');

    const anonymous = await api.get('/v1/me/consents').expect(401);
    expect(anonymous.body.code).toBe('unauthenticated');
    await api.del(`/v1/me/consents/${first.client_id}`).expect(401);

    expect(await listConsents(stranger.tokens.access_token)).toEqual([]);
    // Another user's consent answers as an unknown one, and stays.
    const foreign = await api
      .del(`/v1/me/consents/${first.client_id}`, stranger.tokens.access_token)
      .expect(404);
    expect(foreign.body.code).toBe('consent_not_found');
    expect(await db.consents.find(owner.id, first.client_id)).toBeDefined();
  });

  it('serves X-Tenant-ID as well as /t/{tenant}', async () => {
    const user = await api.newUser('header');
    await db.consents.grant(user.id, second.client_id, ['openid']);
    const viaHeader = tenantApi(system.dp.url, main, true);
    const res = await viaHeader.get('/v1/me/consents', user.tokens.access_token).expect(200);
    expect(res.body.data).toEqual([expect.objectContaining({ client_id: second.client_id })]);
    await viaHeader
      .del(`/v1/me/consents/${second.client_id}`, user.tokens.access_token)
      .expect(204);
  });

  it('shows a user’s consents to tenant admins (viewer), 404 for an unknown user', async () => {
    const user = await api.newUser('audited');
    await db.consents.grant(user.id, first.client_id, ['openid']);
    const viewer = await system.cpAdminToken('viewer');
    const res = await api.get(`/v1/admin/users/${user.id}/consents`, viewer).expect(200);
    expect(res.body).toEqual({
      data: [expect.objectContaining({ client_id: first.client_id, scopes: ['openid'] })],
      next_cursor: null,
    });
    const missing = await api.get('/v1/admin/users/no-such-user/consents', viewer).expect(404);
    expect(missing.body.code).toBe('user_not_found');
    // An end-user token is no admin token.
    await api.get(`/v1/admin/users/${user.id}/consents`, user.tokens.access_token).expect(401);
  });
});
