import { randomUUID } from 'node:crypto';
import { SignJWT, decodeJwt, decodeProtectedHeader, generateKeyPair } from 'jose';
import request from 'supertest';
import { verifyIdTokenHint } from '../src/oauth2';
import type { TenantContext } from '../src/tenancy/tenant-context';
import { tenantApi } from './support/auth-client';
import { startDpSystem, type DpSystem, type TestTenant } from './support/dp-system';
import { codeFlowClient } from './support/fake-clients';
import { codeFlowTokens, expectedAtHash, tenantDb, verifyIdToken } from './support/oidc-fixtures';
import { oauthApi, type ClientCredentials, type OAuthApi } from './support/oauth-client';

jest.setTimeout(60_000);

const INVALID_REFRESH = {
  error: 'invalid_grant',
  error_description: 'The refresh token is invalid, expired or revoked.',
};
const APP_CB = 'https://app.example.com/cb';

/**
 * The refresh_token grant (RFC 6749 §6) for OAuth clients, UserInfo (OIDC Core §5.3, RFC 6750)
 * and `verifyIdTokenHint` (RP-Initiated Logout §2).
 */
describe('OAuth 2.0 refresh_token grant, userinfo and ID token hints (data plane)', () => {
  let system: DpSystem;
  let main: TestTenant;
  let other: TestTenant;
  let oauth: OAuthApi;
  let web: ClientCredentials;
  let second: ClientCredentials;
  let pub: ClientCredentials;
  let foreign: ClientCredentials;
  let user: { id: string; email: string };
  let otherUserId: string;

  beforeAll(async () => {
    system = await startDpSystem();
    main = await system.createTenant('refresh');
    other = await system.createTenant('refresh-other');
    oauth = oauthApi(system.dp.url, main);
    web = await system.clients.register(main.id, codeFlowClient(APP_CB));
    second = await system.clients.register(main.id, codeFlowClient(APP_CB));
    pub = await system.clients.register(main.id, codeFlowClient(APP_CB, { type: 'public' }));
    foreign = await system.clients.register(other.id, codeFlowClient(APP_CB));
    const created = await tenantApi(system.dp.url, main).newUser('refresher');
    user = { id: created.id, email: created.email };
    otherUserId = (await tenantApi(system.dp.url, other).newUser('elsewhere')).id;
  });
  afterAll(async () => {
    await system.close();
  });

  /** Signs in through a code, as the code flow would, and returns the token response. */
  async function signIn(
    client: ClientCredentials = web,
    scope = 'openid profile email offline_access',
    tenant: TestTenant = main,
  ) {
    return codeFlowTokens(system, tenant, client, {
      userId: tenant === main ? user.id : otherUserId,
      redirectUri: APP_CB,
      scope,
      nonce: 'nonce-1',
      challenge: null,
    });
  }
  const refresh = (client: ClientCredentials, refreshToken: string, extra = {}) =>
    oauth.post(
      'token',
      { grant_type: 'refresh_token', refresh_token: refreshToken, ...extra },
      { basic: client },
    );
  const userinfo = (token: string, tenant: TestTenant = main) =>
    request(system.dp.url)
      .get(`/t/${tenant.slug}/userinfo`)
      .set('Authorization', `Bearer ${token}`);

  describe('refresh_token grant', () => {
    it('rotates, and issues a new ID token keeping sub/aud/azp/auth_time without nonce', async () => {
      const first = await signIn();
      const res = await refresh(web, first.body.refresh_token).expect(200);
      expect(res.body).toEqual({
        access_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: 900,
        scope: 'openid profile email offline_access',
        refresh_token: expect.stringMatching(/^hjrt_/),
        id_token: expect.any(String),
      });
      expect(res.body.refresh_token).not.toBe(first.body.refresh_token);
      const before = decodeJwt(first.body.id_token);
      const { payload } = await verifyIdToken(
        system,
        main,
        res.body.id_token as string,
        web.client_id,
      );
      expect(payload).toMatchObject({
        sub: before.sub,
        aud: before.aud,
        azp: before.azp,
        auth_time: before.auth_time,
        sid: first.browserSessionId,
        email: user.email,
        at_hash: expectedAtHash(res.body.access_token as string, 'RS256'),
      });
      expect(payload).not.toHaveProperty('nonce');
      expect(decodeJwt(res.body.access_token as string)).toMatchObject({
        sid: decodeJwt(first.body.access_token).sid,
        client_id: web.client_id,
        scope: 'openid profile email offline_access',
      });
    });

    it('narrows the scope on request, never widens it', async () => {
      const first = await signIn();
      const widened = await refresh(web, first.body.refresh_token, {
        scope: 'openid billing:read',
      });
      expect(widened.status).toBe(400);
      expect(widened.body).toEqual({
        error: 'invalid_scope',
        error_description: 'The scope billing:read was not granted.',
      });
      // The refused request spent nothing.
      const narrowed = await refresh(web, first.body.refresh_token, { scope: 'email' }).expect(200);
      expect(narrowed.body.scope).toBe('email');
      expect(narrowed.body).not.toHaveProperty('id_token');
      expect(decodeJwt(narrowed.body.access_token as string).scope).toBe('email');
      // The session keeps what was granted: the next refresh may have it all again.
      const again = await refresh(web, narrowed.body.refresh_token as string).expect(200);
      expect(again.body.scope).toBe('openid profile email offline_access');
    });

    it('refuses another client’s refresh token without spending it', async () => {
      const first = await signIn();
      expect((await refresh(second, first.body.refresh_token).expect(400)).body).toEqual(
        INVALID_REFRESH,
      );
      const publicTry = await oauth
        .post(
          'token',
          { grant_type: 'refresh_token', refresh_token: first.body.refresh_token },
          { none: pub.client_id },
        )
        .expect(400);
      expect(publicTry.body).toEqual(INVALID_REFRESH);
      await refresh(web, first.body.refresh_token).expect(200);
    });

    it('refuses first-party refresh tokens, and client ones at /v1/auth/refresh', async () => {
      const firstParty = await tenantApi(system.dp.url, main).newUser('first-party');
      expect((await refresh(web, firstParty.tokens.refresh_token).expect(400)).body).toEqual(
        INVALID_REFRESH,
      );
      const client = await signIn();
      await tenantApi(system.dp.url, main).refresh(client.body.refresh_token).expect(401);
      await refresh(web, client.body.refresh_token).expect(200);
    });

    it('detects reuse: a spent token revokes the session and every token of it', async () => {
      const first = await signIn();
      // Within the reuse interval a just-spent token answers its live successor (racing tabs).
      const rotated = await refresh(web, first.body.refresh_token).expect(200);
      const raced = await refresh(web, first.body.refresh_token).expect(200);
      expect(raced.body.refresh_token).toBe(rotated.body.refresh_token);
      // Once the successor is spent too, presenting the first is reuse.
      const latest = await refresh(web, rotated.body.refresh_token as string).expect(200);
      expect((await refresh(web, first.body.refresh_token).expect(400)).body).toEqual(
        INVALID_REFRESH,
      );
      expect((await refresh(web, latest.body.refresh_token as string).expect(400)).body).toEqual(
        INVALID_REFRESH,
      );
      await userinfo(latest.body.access_token as string).expect(401);
    });

    it('refuses unknown, garbage and foreign refresh tokens with invalid_grant', async () => {
      const foreignTokens = await signIn(foreign, 'openid offline_access', other);
      for (const token of ['hjrt_unknown', 'not a token', foreignTokens.body.refresh_token]) {
        expect((await refresh(web, token).expect(400)).body).toEqual(INVALID_REFRESH);
      }
    });

    it('is refused (unauthorized_client) to a client not registered for it', async () => {
      const codeOnly = await system.clients.register(main.id, {
        type: 'confidential',
        grant_types: ['authorization_code'],
        redirect_uris: [APP_CB],
      });
      const res = await refresh(codeOnly, 'hjrt_whatever').expect(400);
      expect(res.body).toEqual({
        error: 'unauthorized_client',
        error_description: 'The client may not use the refresh_token grant.',
      });
    });
  });

  describe('userinfo', () => {
    it('answers the claims of the scope, by GET and POST, header or form', async () => {
      const { body } = await signIn(web, 'openid email');
      const expected = { sub: user.id, email: user.email, email_verified: false };
      const get = await userinfo(body.access_token).expect(200);
      expect(get.body).toEqual(expected);
      expect(get.headers['cache-control']).toBe('no-store');
      const viaHeader = await request(system.dp.url)
        .post(`/t/${main.slug}/userinfo`)
        .set('Authorization', `Bearer ${body.access_token}`)
        .expect(200);
      expect(viaHeader.body).toEqual(expected);
      const viaForm = await request(system.dp.url)
        .post(`/t/${main.slug}/userinfo`)
        .type('form')
        .send({ access_token: body.access_token })
        .expect(200);
      expect(viaForm.body).toEqual(expected);
      const profile = await signIn(web, 'openid profile');
      const named = await userinfo(profile.body.access_token).expect(200);
      expect(named.body).toEqual({ sub: user.id, updated_at: expect.any(Number) });
    });

    it('answers RFC 6750 errors with their challenges', async () => {
      const none = await request(system.dp.url).get(`/t/${main.slug}/userinfo`).expect(401);
      expect(none.headers['www-authenticate']).toBe('Bearer realm="hellojohn"');
      const garbage = await userinfo('abc.def.ghi').expect(401);
      expect(garbage.body).toEqual({
        error: 'invalid_token',
        error_description: 'The access token is invalid, expired or revoked.',
      });
      expect(garbage.headers['www-authenticate']).toBe(
        'Bearer realm="hellojohn", error="invalid_token"',
      );
      const { body } = await signIn();
      const both = await request(system.dp.url)
        .post(`/t/${main.slug}/userinfo`)
        .set('Authorization', `Bearer ${body.access_token}`)
        .type('form')
        .send({ access_token: body.access_token })
        .expect(400);
      expect(both.body.error).toBe('invalid_request');
      // Another tenant's token.
      const foreignTokens = await signIn(foreign, 'openid', other);
      expect((await userinfo(foreignTokens.body.access_token).expect(401)).body.error).toBe(
        'invalid_token',
      );
      // A client_credentials token has no user.
      const machine = await system.clients.register(main.id, {
        type: 'confidential',
        grant_types: ['client_credentials'],
        scopes: ['api'],
      });
      const cc = await oauth.token({ basic: machine }).expect(200);
      expect((await userinfo(cc.body.access_token as string).expect(401)).body.error).toBe(
        'invalid_token',
      );
      // No openid scope.
      const plain = await signIn(web, 'email');
      const insufficient = await userinfo(plain.body.access_token).expect(403);
      expect(insufficient.body).toEqual({
        error: 'insufficient_scope',
        error_description: 'The access token lacks the openid scope.',
      });
      expect(insufficient.headers['www-authenticate']).toBe(
        'Bearer realm="hellojohn", error="insufficient_scope", scope="openid"',
      );
    });

    it('refuses a token whose session ended (logout of the browser session)', async () => {
      const signedIn = await signIn();
      await userinfo(signedIn.body.access_token).expect(200);
      await tenantDb(system, main).browserSessions.revoke(signedIn.browserSessionId, 'logout');
      expect((await userinfo(signedIn.body.access_token).expect(401)).body.error).toBe(
        'invalid_token',
      );
      expect((await refresh(web, signedIn.body.refresh_token).expect(400)).body).toEqual(
        INVALID_REFRESH,
      );
    });
  });

  describe('verifyIdTokenHint', () => {
    const contextOf = (tenant: TestTenant): TenantContext =>
      ({
        config: { id: tenant.id, issuer: tenant.issuer },
        db: tenantDb(system, tenant),
      }) as unknown as TenantContext;

    it('accepts the tenant’s ID tokens, expired ones too', async () => {
      const { body, browserSessionId } = await signIn();
      await expect(
        verifyIdTokenHint(system.dp.deps.keyring, contextOf(main), body.id_token),
      ).resolves.toEqual({ sub: user.id, aud: [web.client_id], sid: browserSessionId });
      const key = await system.dp.deps.keyring.idTokenKey(tenantDb(system, main));
      const expired = await new SignJWT({ sid: 'abc' })
        .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
        .setIssuer(main.issuer)
        .setSubject(user.id)
        .setAudience(web.client_id)
        .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
        .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
        .sign(key.privateKey);
      await expect(
        verifyIdTokenHint(system.dp.deps.keyring, contextOf(main), expired),
      ).resolves.toEqual({ sub: user.id, aud: [web.client_id], sid: 'abc' });
    });

    it('refuses another tenant’s, a forged, an access token and garbage', async () => {
      const foreignTokens = await signIn(foreign, 'openid', other);
      const { body } = await signIn();
      const forgedKey = await generateKeyPair('RS256');
      const { kid } = decodeProtectedHeader(body.id_token);
      const forged = await new SignJWT({})
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        .setIssuer(main.issuer)
        .setSubject(user.id)
        .setAudience(web.client_id)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(forgedKey.privateKey);
      const wrongIssuerKey = await system.dp.deps.keyring.idTokenKey(tenantDb(system, main));
      const wrongIssuer = await new SignJWT({})
        .setProtectedHeader({ alg: 'RS256', kid: wrongIssuerKey.kid, typ: 'JWT' })
        .setIssuer(other.issuer)
        .setSubject(user.id)
        .setAudience(web.client_id)
        .sign(wrongIssuerKey.privateKey);
      for (const token of [
        foreignTokens.body.id_token,
        forged,
        wrongIssuer,
        body.access_token,
        'garbage',
        `${randomUUID()}.x.y`,
      ]) {
        await expect(
          verifyIdTokenHint(system.dp.deps.keyring, contextOf(main), token),
        ).resolves.toBeUndefined();
      }
    });
  });
});
