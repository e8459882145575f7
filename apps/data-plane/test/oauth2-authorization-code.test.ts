import { decodeJwt, decodeProtectedHeader } from 'jose';
import { eventually } from '@hellojohn/testing';
import request from 'supertest';
import { tenantApi } from './support/auth-client';
import { captureEvents } from './support/capture-events';
import { startDpSystem, type DpSystem, type TestTenant } from './support/dp-system';
import { codeFlowClient } from './support/fake-clients';
import {
  expectedAtHash,
  issueCode,
  pkcePair,
  tenantDb,
  verifyIdToken,
  type CodeOptions,
} from './support/oidc-fixtures';
import {
  oauthApi,
  type ClientAuth,
  type ClientCredentials,
  type OAuthApi,
} from './support/oauth-client';

jest.setTimeout(60_000);

const INVALID_CODE = {
  error: 'invalid_grant',
  error_description: 'The authorization code is invalid, expired or already used.',
};
const INVALID_REFRESH = {
  error: 'invalid_grant',
  error_description: 'The refresh token is invalid, expired or revoked.',
};
const INVALID_CLIENT = {
  error: 'invalid_client',
  error_description: 'Client authentication failed.',
};
const SPA_CB = 'https://spa.example.com/cb';
const APP_CB = 'https://app.example.com/cb';

/**
 * The authorization_code grant (RFC 6749 §4.1.3, RFC 7636, OIDC Core §3.1.3) at the token
 * endpoint. The authorization endpoint is another engineer's: codes are written through the DAL
 * exactly as the contract says it does.
 */
describe('OAuth 2.0 authorization_code grant (data plane)', () => {
  let system: DpSystem;
  let main: TestTenant;
  let other: TestTenant;
  let oauth: OAuthApi;
  let spa: ClientCredentials;
  let web: ClientCredentials;
  let webPost: ClientCredentials;
  let edClient: ClientCredentials;
  let codeOnly: ClientCredentials;
  let user: { id: string; email: string };

  beforeAll(async () => {
    system = await startDpSystem();
    main = await system.createTenant('code');
    other = await system.createTenant('code-other');
    oauth = oauthApi(system.dp.url, main);
    const register = system.clients.register.bind(system.clients, main.id);
    spa = await register(codeFlowClient(SPA_CB, { type: 'public' }));
    web = await register(
      codeFlowClient(APP_CB, {
        scopes: ['openid', 'profile', 'email', 'billing:read'],
        settings: { access_token_ttl: 300, refresh_token_ttl: 7200 },
      }),
    );
    webPost = await register(
      codeFlowClient(APP_CB, { settings: { token_endpoint_auth_method: 'client_secret_post' } }),
    );
    edClient = await register(
      codeFlowClient(APP_CB, { settings: { id_token_signed_response_alg: 'EdDSA' } }),
    );
    codeOnly = await register({
      type: 'confidential',
      grant_types: ['authorization_code'],
      redirect_uris: [APP_CB],
    });
    const created = await tenantApi(system.dp.url, main).newUser('coder');
    user = { id: created.id, email: created.email };
    await tenantDb(system, main).users.update(user.id, { name: 'Ada Lovelace' });
  });
  afterAll(async () => {
    await system.close();
  });

  const db = () => tenantDb(system, main);
  const code = (options: Partial<CodeOptions> & Pick<CodeOptions, 'clientId'>) =>
    issueCode(db(), {
      userId: user.id,
      redirectUri: APP_CB,
      scope: 'openid profile email offline_access',
      challenge: null,
      ...options,
    });
  const redeem = (auth: ClientAuth, fields: Record<string, string>) =>
    oauth.post('token', { grant_type: 'authorization_code', ...fields }, auth);
  const me = (token: string) =>
    request(system.dp.url).get(`/t/${main.slug}/v1/me`).set('Authorization', `Bearer ${token}`);
  const userinfo = (token: string) =>
    request(system.dp.url).get(`/t/${main.slug}/userinfo`).set('Authorization', `Bearer ${token}`);

  describe('a public client with PKCE', () => {
    it('gets an access token, a refresh token and an RS256 ID token', async () => {
      const pkce = pkcePair();
      const issued = await code({
        clientId: spa.client_id,
        redirectUri: SPA_CB,
        challenge: pkce.challenge,
        nonce: 'n-0S6_WzA2Mj',
        amr: ['pwd', 'otp'],
      });
      const res = await redeem(
        { none: spa.client_id },
        { code: issued.code, redirect_uri: SPA_CB, code_verifier: pkce.verifier },
      ).expect(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toEqual({
        access_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: 900,
        scope: 'openid profile email offline_access',
        refresh_token: expect.stringMatching(/^hjrt_/),
        id_token: expect.any(String),
      });

      const access = decodeJwt(res.body.access_token as string);
      expect(access).toMatchObject({
        iss: main.issuer,
        aud: main.issuer,
        sub: user.id,
        client_id: spa.client_id,
        scope: 'openid profile email offline_access',
        tid: main.id,
      });
      expect(access.exp! - access.iat!).toBe(900);
      const session = await db().sessions.findById(access.sid as string);
      expect(session).toMatchObject({
        clientId: spa.client_id,
        browserSessionId: issued.browserSessionId,
        scope: 'openid profile email offline_access',
        amr: ['pwd', 'otp'],
      });

      const { payload, protectedHeader } = await verifyIdToken(
        system,
        main,
        res.body.id_token as string,
        spa.client_id,
      );
      expect(protectedHeader).toMatchObject({ alg: 'RS256', typ: 'JWT', kid: expect.any(String) });
      expect(payload).toEqual({
        iss: main.issuer,
        sub: user.id,
        aud: spa.client_id,
        azp: spa.client_id,
        exp: expect.any(Number),
        iat: expect.any(Number),
        auth_time: Math.floor(issued.authTime.getTime() / 1000),
        nonce: 'n-0S6_WzA2Mj',
        at_hash: expectedAtHash(res.body.access_token as string, 'RS256'),
        amr: ['pwd', 'otp'],
        sid: issued.browserSessionId,
        name: 'Ada Lovelace',
        updated_at: expect.any(Number),
        email: user.email,
        email_verified: false,
      });
      await me(res.body.access_token as string).expect(200);
    });

    it('refuses every PKCE mistake with invalid_grant, leaving the code redeemable', async () => {
      const pkce = pkcePair();
      const issued = await code({
        clientId: spa.client_id,
        redirectUri: SPA_CB,
        challenge: pkce.challenge,
      });
      const base = { code: issued.code, redirect_uri: SPA_CB };
      for (const fields of [
        base,
        { ...base, code_verifier: pkcePair().verifier },
        { ...base, code_verifier: 'short' },
        { ...base, code_verifier: `${pkce.verifier}!` },
        { ...base, code_verifier: pkce.challenge },
      ]) {
        const res = await redeem({ none: spa.client_id }, fields).expect(400);
        expect(res.body).toEqual(INVALID_CODE);
      }
      await redeem({ none: spa.client_id }, { ...base, code_verifier: pkce.verifier }).expect(200);
    });

    it('refuses a public client code without a PKCE challenge', async () => {
      const issued = await code({ clientId: spa.client_id, redirectUri: SPA_CB, challenge: null });
      const res = await redeem(
        { none: spa.client_id },
        { code: issued.code, redirect_uri: SPA_CB },
      );
      expect(res.status).toBe(400);
      expect(res.body).toEqual(INVALID_CODE);
    });
  });

  describe('a confidential client', () => {
    it('redeems with its registered method, with its own TTLs, and without PKCE', async () => {
      const issued = await code({
        clientId: web.client_id,
        scope: 'openid billing:read offline_access',
      });
      const res = await redeem({ basic: web }, { code: issued.code, redirect_uri: APP_CB }).expect(
        200,
      );
      expect(res.body).toEqual({
        access_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: 300,
        scope: 'openid billing:read offline_access',
        refresh_token: expect.any(String),
        id_token: expect.any(String),
      });
      const idToken = decodeJwt(res.body.id_token as string);
      expect(idToken.exp! - idToken.iat!).toBe(300);
      // openid alone: no profile or email claims, no nonce.
      for (const claim of ['name', 'email', 'email_verified', 'updated_at', 'nonce', 'acr']) {
        expect(idToken).not.toHaveProperty(claim);
      }
      const refresh = await db().refreshTokens.findByHash(
        (await import('@hellojohn/tokens')).hashRefreshToken(res.body.refresh_token as string),
      );
      const session = await db().sessions.findById(
        decodeJwt(res.body.access_token as string).sid as string,
      );
      expect(refresh!.expiresAt.getTime() - session!.createdAt.getTime()).toBeGreaterThan(
        7_100_000,
      );
      expect(refresh!.expiresAt.getTime() - session!.createdAt.getTime()).toBeLessThan(7_300_000);
    });

    it('honours a PKCE challenge, and refuses a verifier for a code without one', async () => {
      const pkce = pkcePair();
      const withPkce = await code({ clientId: web.client_id, challenge: pkce.challenge });
      expect(
        (await redeem({ basic: web }, { code: withPkce.code, redirect_uri: APP_CB })).body,
      ).toEqual(INVALID_CODE);
      await redeem(
        { basic: web },
        { code: withPkce.code, redirect_uri: APP_CB, code_verifier: pkce.verifier },
      ).expect(200);
      const without = await code({ clientId: web.client_id });
      const res = await redeem(
        { basic: web },
        { code: without.code, redirect_uri: APP_CB, code_verifier: pkce.verifier },
      ).expect(400);
      expect(res.body).toEqual(INVALID_CODE);
    });

    it('is refused (401 invalid_client) with a method other than the registered one', async () => {
      const issued = await code({ clientId: web.client_id });
      const fields = { code: issued.code, redirect_uri: APP_CB };
      const viaPost = await redeem({ post: web }, fields).expect(401);
      expect(viaPost.body).toEqual(INVALID_CLIENT);
      expect(viaPost.headers['www-authenticate']).toMatch(/^Basic /);
      const postIssued = await code({ clientId: webPost.client_id });
      const postFields = { code: postIssued.code, redirect_uri: APP_CB };
      expect((await redeem({ basic: webPost }, postFields).expect(401)).body).toEqual(
        INVALID_CLIENT,
      );
      await redeem({ post: webPost }, postFields).expect(200);
      await redeem({ basic: web }, fields).expect(200);
    });

    it('signs ID tokens with EdDSA when the client registered it (at_hash over SHA-512)', async () => {
      const issued = await code({ clientId: edClient.client_id, nonce: 'xyz' });
      const res = await redeem(
        { basic: edClient },
        { code: issued.code, redirect_uri: APP_CB },
      ).expect(200);
      const { payload, protectedHeader } = await verifyIdToken(
        system,
        main,
        res.body.id_token as string,
        edClient.client_id,
        ['EdDSA'],
      );
      expect(protectedHeader.alg).toBe('EdDSA');
      expect(payload.at_hash).toBe(expectedAtHash(res.body.access_token as string, 'EdDSA'));
      expect(payload.nonce).toBe('xyz');
    });

    it('gets acr when the authentication recorded one', async () => {
      const issued = await code({ clientId: web.client_id, scope: 'openid', acr: 'urn:hj:mfa' });
      const res = await redeem({ basic: web }, { code: issued.code, redirect_uri: APP_CB }).expect(
        200,
      );
      expect(decodeJwt(res.body.id_token as string).acr).toBe('urn:hj:mfa');
    });

    it('gets no refresh token without offline_access or the refresh_token grant, no ID token without openid', async () => {
      const noOffline = await code({ clientId: web.client_id, scope: 'openid profile' });
      const a = await redeem({ basic: web }, { code: noOffline.code, redirect_uri: APP_CB }).expect(
        200,
      );
      expect(Object.keys(a.body as object).sort()).toEqual([
        'access_token',
        'expires_in',
        'id_token',
        'scope',
        'token_type',
      ]);
      const noGrant = await code({ clientId: codeOnly.client_id, scope: 'openid offline_access' });
      const b = await redeem(
        { basic: codeOnly },
        { code: noGrant.code, redirect_uri: APP_CB },
      ).expect(200);
      expect(b.body).not.toHaveProperty('refresh_token');
      const plainOAuth = await code({ clientId: web.client_id, scope: 'billing:read' });
      const c = await redeem(
        { basic: web },
        { code: plainOAuth.code, redirect_uri: APP_CB },
      ).expect(200);
      expect(c.body).toEqual({
        access_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: 300,
        scope: 'billing:read',
      });
      // No openid scope: userinfo refuses the token.
      const info = await userinfo(c.body.access_token as string).expect(403);
      expect(info.body).toEqual({
        error: 'insufficient_scope',
        error_description: 'The access token lacks the openid scope.',
      });
    });
  });

  describe('invalid_grant (RFC 6749 §5.2)', () => {
    it('for an unknown, foreign, expired, or another client’s code, or another redirect_uri', async () => {
      const foreignDb = tenantDb(system, other);
      const otherUser = await tenantApi(system.dp.url, other).newUser('foreign');
      const foreign = await issueCode(foreignDb, {
        clientId: web.client_id,
        userId: otherUser.id,
        redirectUri: APP_CB,
        scope: 'openid',
        challenge: null,
      });
      const expired = await code({
        clientId: web.client_id,
        expiresAt: new Date(Date.now() - 1000),
      });
      const otherClients = await code({ clientId: webPost.client_id });
      const wrongUri = await code({ clientId: web.client_id });
      for (const fields of [
        { code: 'no-such-code', redirect_uri: APP_CB },
        { code: foreign.code, redirect_uri: APP_CB },
        { code: expired.code, redirect_uri: APP_CB },
        { code: otherClients.code, redirect_uri: APP_CB },
        { code: wrongUri.code, redirect_uri: `${APP_CB}/` },
        { code: wrongUri.code, redirect_uri: 'https://APP.example.com/cb' },
      ]) {
        const res = await redeem({ basic: web }, fields).expect(400);
        expect(res.body).toEqual(INVALID_CODE);
        expect(res.headers['cache-control']).toBe('no-store');
      }
      // The wrong redirect_uri did not spend the code.
      await redeem({ basic: web }, { code: wrongUri.code, redirect_uri: APP_CB }).expect(200);
    });

    it('when the browser session behind the code has ended', async () => {
      const issued = await code({ clientId: web.client_id });
      await db().browserSessions.revoke(issued.browserSessionId, 'logout');
      const res = await redeem({ basic: web }, { code: issued.code, redirect_uri: APP_CB }).expect(
        400,
      );
      expect(res.body).toEqual(INVALID_CODE);
    });

    it('names a missing parameter with invalid_request', async () => {
      const res = await redeem({ basic: web }, { redirect_uri: APP_CB }).expect(400);
      expect(res.body).toEqual({
        error: 'invalid_request',
        error_description: 'Missing parameter: code',
      });
      const noUri = await redeem({ basic: web }, { code: 'x' }).expect(400);
      expect(noUri.body).toEqual({
        error: 'invalid_request',
        error_description: 'Missing parameter: redirect_uri',
      });
    });

    it('for a replayed code, which also revokes what the first redemption issued', async () => {
      const revoked = await captureEvents(system.dp.deps.bus, ['session.revoked']);
      const issued = await code({ clientId: web.client_id });
      const fields = { code: issued.code, redirect_uri: APP_CB };
      const first = await redeem({ basic: web }, fields).expect(200);
      const access = first.body.access_token as string;
      await me(access).expect(200);
      await userinfo(access).expect(200);
      const replay = await redeem({ basic: web }, fields).expect(400);
      expect(replay.body).toEqual(INVALID_CODE);
      // One `session.revoked` for the session the first redemption started (webhooks).
      const sid = decodeJwt(access).sid;
      await eventually(() => {
        expect(revoked.map((e) => e.data)).toEqual([
          { user_id: user.id, session_id: sid, reason: 'authorization_code_reused' },
        ]);
        return Promise.resolve();
      });

      await me(access).expect(401);
      const info = await userinfo(access).expect(401);
      expect(info.body.error).toBe('invalid_token');
      expect(info.headers['www-authenticate']).toBe(
        'Bearer realm="hellojohn", error="invalid_token"',
      );
      const refreshed = await oauth
        .post(
          'token',
          { grant_type: 'refresh_token', refresh_token: first.body.refresh_token as string },
          { basic: web },
        )
        .expect(400);
      expect(refreshed.body).toEqual(INVALID_REFRESH);
      expect((await oauth.introspect({ basic: web }, access).expect(200)).body).toEqual({
        active: false,
      });
      // A third try stays refused.
      expect((await redeem({ basic: web }, fields).expect(400)).body).toEqual(INVALID_CODE);
    });

    it('for a third-party client whose consent was withdrawn or never covered the scope', async () => {
      const withdrawn = await code({ clientId: web.client_id });
      await db().consents.revoke(user.id, web.client_id);
      const res = await redeem({ basic: web }, { code: withdrawn.code, redirect_uri: APP_CB });
      expect(res.status).toBe(400);
      expect(res.body).toEqual(INVALID_CODE);

      const unconsented = await code({ clientId: web.client_id, consent: false });
      const again = await redeem({ basic: web }, { code: unconsented.code, redirect_uri: APP_CB });
      expect(again.body).toEqual(INVALID_CODE);
    });

    it('for a public client naming a confidential client’s code', async () => {
      const issued = await code({ clientId: web.client_id });
      const res = await redeem(
        { none: web.client_id },
        { code: issued.code, redirect_uri: APP_CB },
      );
      expect(res.status).toBe(401);
      expect(res.body).toEqual(INVALID_CLIENT);
    });
  });

  describe('introspection and revocation of code-flow tokens', () => {
    it('describes the access and refresh tokens with client_id and scope', async () => {
      const issued = await code({ clientId: web.client_id, scope: 'openid email offline_access' });
      const res = await redeem({ basic: web }, { code: issued.code, redirect_uri: APP_CB }).expect(
        200,
      );
      const access = res.body.access_token as string;
      const claims = decodeJwt(access);
      const described = await oauth.introspect({ basic: web }, access).expect(200);
      expect(described.body).toEqual({
        active: true,
        scope: 'openid email offline_access',
        client_id: web.client_id,
        sub: user.id,
        exp: claims.exp,
        iat: claims.iat,
        iss: main.issuer,
        aud: main.issuer,
        tid: main.id,
        token_type: 'Bearer',
        jti: claims.jti,
        sid: claims.sid,
      });
      const refresh = await oauth
        .introspect({ basic: web }, res.body.refresh_token as string)
        .expect(200);
      expect(refresh.body).toEqual({
        active: true,
        scope: 'openid email offline_access',
        client_id: web.client_id,
        sub: user.id,
        exp: expect.any(Number),
        iat: expect.any(Number),
        iss: main.issuer,
        tid: main.id,
        sid: claims.sid,
      });
    });

    it('lets only the client a refresh token was issued to revoke it (RFC 7009 §2.1)', async () => {
      const issued = await code({ clientId: web.client_id });
      const res = await redeem({ basic: web }, { code: issued.code, redirect_uri: APP_CB }).expect(
        200,
      );
      const refreshToken = res.body.refresh_token as string;
      const access = res.body.access_token as string;
      const refused = await oauth.revoke({ basic: edClient }, refreshToken).expect(400);
      expect(refused.body).toEqual({
        error: 'invalid_request',
        error_description: 'The token was issued to another client.',
      });
      // A public client proves nothing: ignored, 200, nothing revoked.
      await oauth.revoke({ none: spa.client_id }, refreshToken).expect(200);
      await me(access).expect(200);
      await oauth.revoke({ basic: web }, refreshToken).expect(200);
      await me(access).expect(401);
      expect(decodeProtectedHeader(access).typ).toBe('at+jwt');
    });
  });
});
