import { signAccessToken } from '@hellojohn/tokens';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import request from 'supertest';
import { tenantApi } from './support/auth-client';
import { startDpSystem, type DpSystem, type TestTenant } from './support/dp-system';
import {
  basicHeader,
  eventually,
  oauthApi,
  type ClientCredentials,
  type OAuthApi,
} from './support/oauth-client';

jest.setTimeout(60_000);

const INVALID_CLIENT = {
  error: 'invalid_client',
  error_description: 'Client authentication failed.',
};
const INACTIVE = { active: false };

/**
 * The machine-to-machine slice of the tenant's OAuth 2.0 authorization server over HTTP, on the
 * embedded default (SQLite, in-process bus), with a fake control plane serving the clients:
 * discovery, client authentication (RFC 6749 §2.3), client_credentials (§4.4), introspection
 * (RFC 7662) and revocation (RFC 7009).
 */
describe('OAuth 2.0 client credentials, introspection and revocation (data plane)', () => {
  let system: DpSystem;
  let main: TestTenant;
  let other: TestTenant;
  let oauth: OAuthApi;
  let otherOauth: OAuthApi;
  /** Confidential, client_credentials, with API scopes and the OIDC defaults. */
  let machine: ClientCredentials;
  /** A second confidential machine client of the same tenant. */
  let second: ClientCredentials;
  /** Confidential, but registered for authorization_code only. */
  let webApp: ClientCredentials;
  let spa: ClientCredentials;
  /** A machine client of the other tenant. */
  let foreign: ClientCredentials;

  const register = (tenant: TestTenant, client: Parameters<DpSystem['clients']['register']>[1]) =>
    system.clients.register(tenant.id, client);

  beforeAll(async () => {
    system = await startDpSystem();
    main = await system.createTenant('oauth');
    other = await system.createTenant('other');
    oauth = oauthApi(system.dp.url, main);
    otherOauth = oauthApi(system.dp.url, other);
    const scopes = ['openid', 'profile', 'billing:read', 'billing:write'];
    machine = await register(main, {
      type: 'confidential',
      grant_types: ['client_credentials'],
      scopes,
    });
    second = await register(main, {
      type: 'confidential',
      grant_types: ['client_credentials'],
      scopes,
    });
    webApp = await register(main, {
      type: 'confidential',
      grant_types: ['authorization_code'],
      redirect_uris: ['https://app.example.com/cb'],
    });
    spa = await register(main, {
      type: 'public',
      grant_types: ['authorization_code'],
      redirect_uris: ['https://spa.example.com/cb'],
    });
    foreign = await register(other, { type: 'confidential', grant_types: ['client_credentials'] });
  });
  afterAll(async () => {
    await system.close();
  });

  async function verifyLocally(token: string, tenant: TestTenant) {
    const jwks = await request(system.dp.url).get(`/t/${tenant.slug}/.well-known/jwks.json`);
    return jwtVerify(token, createLocalJWKSet(jwks.body as JSONWebKeySet), {
      issuer: tenant.issuer,
      audience: tenant.issuer,
      typ: 'at+jwt',
      algorithms: ['EdDSA'],
    });
  }

  async function machineToken(client = machine, fields: Record<string, string> = {}) {
    const res = await oauth.token({ basic: client }, fields).expect(200);
    return res.body.access_token as string;
  }

  describe('discovery', () => {
    const metadata = (issuer: string) => ({
      issuer,
      authorization_endpoint: `${issuer}/oauth2/authorize`,
      token_endpoint: `${issuer}/oauth2/token`,
      userinfo_endpoint: `${issuer}/userinfo`,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      end_session_endpoint: `${issuer}/oauth2/end-session`,
      scopes_supported: ['openid', 'profile', 'email', 'offline_access', 'organization'],
      response_types_supported: ['code'],
      response_modes_supported: ['query', 'form_post'],
      grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256', 'EdDSA', 'ES256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      claims_supported: [
        'sub',
        'iss',
        'aud',
        'exp',
        'iat',
        'auth_time',
        'nonce',
        'at_hash',
        'azp',
        'amr',
        'acr',
        'sid',
        'name',
        'updated_at',
        'email',
        'email_verified',
        'org_id',
        'org_role',
        'organizations',
        'organizations_ref',
      ],
      code_challenge_methods_supported: ['S256'],
      prompt_values_supported: ['none', 'login', 'consent'],
      acr_values_supported: ['urn:hellojohn:loa:1', 'urn:hellojohn:loa:2'],
      authorization_response_iss_parameter_supported: true,
      claims_parameter_supported: false,
      request_parameter_supported: false,
      request_uri_parameter_supported: false,
      introspection_endpoint: `${issuer}/oauth2/introspect`,
      introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      revocation_endpoint: `${issuer}/oauth2/revoke`,
      revocation_endpoint_auth_methods_supported: [
        'client_secret_basic',
        'client_secret_post',
        'none',
      ],
    });

    it('names every endpoint that exists, and nothing that does not', async () => {
      const res = await request(system.dp.url)
        .get(`/t/${main.slug}/.well-known/openid-configuration`)
        .expect(200);
      expect(res.body).toEqual(metadata(main.issuer));
      expect(res.headers['cache-control']).toBe('public, max-age=300');
    });

    it('serves the same document at the RFC 8414 path, by slug or id', async () => {
      for (const ref of [main.slug, main.id]) {
        const res = await request(system.dp.url)
          .get(`/.well-known/oauth-authorization-server/t/${ref}`)
          .expect(200);
        expect(res.body).toEqual(metadata(main.issuer));
      }
      await request(system.dp.url)
        .get('/.well-known/oauth-authorization-server/t/no-such-tenant')
        .expect(404);
    });

    it('documents the endpoints under /t/{tenant} only, and serves them nowhere else', async () => {
      const doc = await request(system.dp.url).get('/openapi.json').expect(200);
      const paths = Object.keys(doc.body.paths as Record<string, unknown>);
      for (const endpoint of ['token', 'introspect', 'revoke']) {
        expect(paths).toContain(`/t/{tenant}/oauth2/${endpoint}`);
        expect(paths).not.toContain(`/oauth2/${endpoint}`);
      }
      const res = await request(system.dp.url)
        .post('/oauth2/token')
        .set('X-Tenant-ID', main.slug)
        .type('form')
        .send('grant_type=client_credentials')
        .expect(404);
      expect(res.body.code).toBe('route_not_found');
    });
  });

  describe('client_credentials (RFC 6749 §4.4)', () => {
    it('issues an RFC 9068 at+jwt to a client authenticated with HTTP Basic', async () => {
      const res = await oauth.token({ basic: machine }).expect(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers.pragma).toBe('no-cache');
      // Default scope: the registered ones, less the OpenID Connect user scopes.
      expect(res.body).toEqual({
        access_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: 900,
        scope: 'billing:read billing:write',
      });
      const token = res.body.access_token as string;
      expect(decodeProtectedHeader(token)).toEqual({
        alg: 'EdDSA',
        kid: expect.any(String),
        typ: 'at+jwt',
      });
      const { payload } = await verifyLocally(token, main);
      expect(payload).toEqual({
        iss: main.issuer,
        sub: machine.client_id,
        client_id: machine.client_id,
        aud: main.issuer,
        iat: expect.any(Number),
        exp: expect.any(Number),
        jti: expect.any(String),
        tid: main.id,
        scope: 'billing:read billing:write',
      });
      expect(payload.exp! - payload.iat!).toBe(900);
    });

    it('decodes the form-urlencoded id and secret of HTTP Basic (RFC 6749 §2.3.1)', async () => {
      const percentAll = (value: string) =>
        Buffer.from(value).toString('hex').replace(/(..)/g, '%$1');
      const header = `Basic ${Buffer.from(
        `${percentAll(machine.client_id)}:${percentAll(machine.client_secret ?? '')}`,
      ).toString('base64')}`;
      await oauth.token({ header }).expect(200);
      // The scheme is case-insensitive (RFC 9110 §11.1).
      await oauth
        .token({
          header: basicHeader(machine.client_id, machine.client_secret ?? '').replace(
            'Basic',
            'bAsIc',
          ),
        })
        .expect(200);
    });

    it('accepts client_secret_post from a client registered for it, and only from it', async () => {
      const poster = await register(main, {
        type: 'confidential',
        grant_types: ['client_credentials'],
        settings: { token_endpoint_auth_method: 'client_secret_post', access_token_ttl: 120 },
      });
      const res = await oauth.token({ post: poster }).expect(200);
      expect(res.body.token_type).toBe('Bearer');
      // The client's own access-token lifetime.
      expect(res.body.expires_in).toBe(120);
      // RFC 7591 token_endpoint_auth_method: another method than the registered one is refused.
      expect((await oauth.token({ basic: poster }).expect(401)).body).toEqual(INVALID_CLIENT);
      expect((await oauth.token({ post: machine }).expect(401)).body).toEqual(INVALID_CLIENT);
    });

    it('grants a requested subset of the registered scopes', async () => {
      const res = await oauth.token({ basic: machine }, { scope: 'billing:read' }).expect(200);
      expect(res.body.scope).toBe('billing:read');
      const { payload } = await verifyLocally(res.body.access_token as string, main);
      expect(payload.scope).toBe('billing:read');
    });

    it.each([
      [
        'an unregistered scope',
        'billing:admin',
        'The scope billing:admin is not registered for this client.',
      ],
      [
        'a user scope',
        'billing:read openid',
        'The scope openid needs a user; this grant has none.',
      ],
      [
        'a malformed scope',
        'billing:read bad"scope',
        'The scope is not a list of RFC 6749 scope tokens.',
      ],
    ])('refuses %s with invalid_scope', async (_name, scope, description) => {
      const res = await oauth.token({ basic: machine }, { scope }).expect(400);
      expect(res.body).toEqual({ error: 'invalid_scope', error_description: description });
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it('refuses a client not registered for the grant, and public clients, with unauthorized_client', async () => {
      const expected = {
        error: 'unauthorized_client',
        error_description: 'The client may not use the client_credentials grant.',
      };
      expect((await oauth.token({ basic: webApp }).expect(400)).body).toEqual(expected);
      expect((await oauth.token({ none: spa.client_id }).expect(400)).body).toEqual(expected);
    });

    it('refuses unknown and missing grant types', async () => {
      const unknown = await oauth.post('token', { grant_type: 'password' }, { basic: machine });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error).toBe('unsupported_grant_type');
      const missing = await oauth.post('token', {}, { basic: machine }).expect(400);
      expect(missing.body).toEqual({
        error: 'invalid_request',
        error_description: 'Missing parameter: grant_type',
      });
    });

    it('refuses a repeated parameter (RFC 6749 §3.1)', async () => {
      const res = await oauth
        .post('token', 'grant_type=client_credentials&scope=billing:read&scope=billing:write', {
          basic: machine,
        })
        .expect(400);
      expect(res.body).toEqual({
        error: 'invalid_request',
        error_description: 'Repeated parameter: scope',
      });
    });

    it('takes form bodies only: JSON is 415 in RFC 6749 form', async () => {
      const res = await request(system.dp.url)
        .post(`/t/${main.slug}/oauth2/token`)
        .set('Authorization', basicHeader(machine.client_id, machine.client_secret ?? ''))
        .send({ grant_type: 'client_credentials' })
        .expect(415);
      expect(res.body).toEqual({
        error: 'invalid_request',
        error_description: 'Send application/x-www-form-urlencoded.',
      });
    });

    it('answers an unknown tenant in RFC 6749 form too', async () => {
      const res = await request(system.dp.url)
        .post('/t/no-such-tenant/oauth2/token')
        .type('form')
        .send('grant_type=client_credentials')
        .expect(404);
      expect(res.body).toEqual({ error: 'invalid_request', error_description: 'No such tenant.' });
      const undecodable = await request(system.dp.url)
        .post('/t/%ff/oauth2/token')
        .type('form')
        .send('grant_type=client_credentials')
        .expect(400);
      expect(undecodable.body.error).toBe('invalid_request');
    });

    it('cannot be used as a user token: /v1/me answers 401 invalid_token', async () => {
      const token = await machineToken();
      const api = tenantApi(system.dp.url, main);
      const res = await api.get('/v1/me', token).expect(401);
      expect(res.body.code).toBe('invalid_token');
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      for (const call of [
        api.get('/v1/sessions', token),
        api.post('/v1/auth/sign-out', undefined, token),
        api.post('/v1/auth/sign-out-all', undefined, token),
      ]) {
        expect((await call.expect(401)).body.code).toBe('invalid_token');
      }
    });
  });

  describe('client authentication (RFC 6749 §2.3, §5.2)', () => {
    it("answers a wrong secret, an unknown client and another tenant's client alike", async () => {
      const attempts = [
        { basic: { client_id: machine.client_id, client_secret: 'hjcs_wrong' } },
        { post: { client_id: machine.client_id, client_secret: 'hjcs_wrong' } },
        { basic: { client_id: 'hjc_unknown', client_secret: machine.client_secret ?? '' } },
        { basic: foreign },
      ];
      for (const auth of attempts) {
        const res = await oauth.token(auth).expect(401);
        expect(res.body).toEqual(INVALID_CLIENT);
        expect(res.headers['www-authenticate']).toMatch(/^Basic realm="[^"]+"/);
        expect(res.headers['cache-control']).toBe('no-store');
      }
      // The other tenant's client works at its own issuer.
      await otherOauth.token({ basic: foreign }).expect(200);
    });

    it('refuses a request with no client authentication', async () => {
      const res = await oauth.token({}).expect(401);
      expect(res.body).toEqual({
        error: 'invalid_client',
        error_description: 'Client authentication is required.',
      });
    });

    it('refuses a confidential client that presents no secret, and a public one that does', async () => {
      expect((await oauth.token({ none: machine.client_id }).expect(401)).body).toEqual(
        INVALID_CLIENT,
      );
      const spaWithSecret = { client_id: spa.client_id, client_secret: 'anything' };
      expect((await oauth.token({ post: spaWithSecret }).expect(401)).body).toEqual(INVALID_CLIENT);
    });

    it('refuses two methods at once with invalid_request', async () => {
      const res = await oauth
        .post(
          'token',
          {
            grant_type: 'client_credentials',
            client_id: machine.client_id,
            client_secret: machine.client_secret ?? '',
          },
          { basic: machine },
        )
        .expect(400);
      expect(res.body).toEqual({
        error: 'invalid_request',
        error_description: 'Use one client authentication method only.',
      });
      const mismatch = await oauth
        .post(
          'token',
          { grant_type: 'client_credentials', client_id: second.client_id },
          { basic: machine },
        )
        .expect(400);
      expect(mismatch.body.error).toBe('invalid_request');
      // The same client_id in the body as in the header is not a second method.
      await oauth
        .post(
          'token',
          { grant_type: 'client_credentials', client_id: machine.client_id },
          { basic: machine },
        )
        .expect(200);
    });

    it('refuses other schemes with invalid_client and malformed Basic with invalid_request', async () => {
      const bearer = await oauth.token({ header: `Bearer ${await machineToken()}` }).expect(401);
      expect(bearer.body).toEqual({
        error: 'invalid_client',
        error_description: 'Authenticate the client with HTTP Basic.',
      });
      for (const header of ['Basic !!!', `Basic ${Buffer.from('no-colon').toString('base64')}`]) {
        const res = await oauth.token({ header }).expect(400);
        expect(res.body.error).toBe('invalid_request');
      }
    });
  });

  describe('introspection (RFC 7662)', () => {
    it('describes an active client_credentials token', async () => {
      const token = await machineToken(machine, { scope: 'billing:read' });
      const { payload } = await verifyLocally(token, main);
      const res = await oauth.introspect({ basic: second }, token).expect(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toEqual({
        active: true,
        scope: 'billing:read',
        client_id: machine.client_id,
        sub: machine.client_id,
        exp: payload.exp,
        iat: payload.iat,
        iss: main.issuer,
        aud: main.issuer,
        tid: main.id,
        token_type: 'Bearer',
        jti: payload.jti,
      });
      await oauth.introspect({ post: machine }, token).expect(200);
    });

    it('describes a user access token with its session, and a live refresh token', async () => {
      const user = await tenantApi(system.dp.url, main).newUser('introspected');
      const access = await oauth
        .introspect({ basic: machine }, user.tokens.access_token)
        .expect(200);
      expect(access.body).toMatchObject({
        active: true,
        sub: user.id,
        sid: expect.any(String),
        tid: main.id,
      });
      expect(access.body.client_id).toBeUndefined();
      const refresh = await oauth
        .introspect({ basic: machine }, user.tokens.refresh_token)
        .expect(200);
      expect(refresh.body).toEqual({
        active: true,
        sub: user.id,
        exp: expect.any(Number),
        iat: expect.any(Number),
        iss: main.issuer,
        tid: main.id,
        sid: access.body.sid,
      });
      // Signed out: both stop being active at once.
      await tenantApi(system.dp.url, main)
        .post('/v1/auth/sign-out', undefined, user.tokens.access_token)
        .expect(204);
      expect((await oauth.introspect({ basic: machine }, user.tokens.access_token)).body).toEqual(
        INACTIVE,
      );
      expect((await oauth.introspect({ basic: machine }, user.tokens.refresh_token)).body).toEqual(
        INACTIVE,
      );
    });

    it('answers exactly {active: false} for garbage, expired and foreign tokens', async () => {
      const db = system.dp.deps.pools.get({ tenantId: main.id, database: { mode: 'managed' } });
      const expired = await signAccessToken(
        await system.dp.deps.keyring.signingKey(db),
        {
          issuer: main.issuer,
          audience: main.issuer,
          subject: machine.client_id,
          tenantId: main.id,
          ttlSeconds: 60,
          extra: { client_id: machine.client_id },
        },
        { now: new Date(Date.now() - 3_600_000) },
      );
      const foreignToken = (await otherOauth.token({ basic: foreign }).expect(200)).body
        .access_token as string;
      const spent = await tenantApi(system.dp.url, main).newUser('spent');
      await tenantApi(system.dp.url, main).refresh(spent.tokens.refresh_token).expect(200);
      for (const token of [
        'garbage',
        'a.b.c',
        'hjrt_not-a-real-refresh-token',
        expired.token,
        foreignToken,
        spent.tokens.refresh_token,
      ]) {
        const res = await oauth.introspect({ basic: machine }, token).expect(200);
        expect(res.body).toEqual(INACTIVE);
      }
      // The foreign token is active at its own issuer.
      expect((await otherOauth.introspect({ basic: foreign }, foreignToken)).body.active).toBe(
        true,
      );
    });

    it('is for confidential clients only, and needs a token', async () => {
      const token = await machineToken();
      const res = await oauth.introspect({ none: spa.client_id }, token).expect(401);
      expect(res.body).toEqual(INVALID_CLIENT);
      await oauth.introspect({}, token).expect(401);
      const missing = await oauth.post('introspect', {}, { basic: machine }).expect(400);
      expect(missing.body).toEqual({
        error: 'invalid_request',
        error_description: 'Missing parameter: token',
      });
    });

    it('ignores an unknown token_type_hint (it is advisory)', async () => {
      const token = await machineToken();
      const res = await oauth
        .post('introspect', { token, token_type_hint: 'refresh_token' }, { basic: machine })
        .expect(200);
      expect(res.body.active).toBe(true);
      await oauth
        .post('introspect', { token, token_type_hint: 'something_else' }, { basic: machine })
        .expect(200);
    });
  });

  describe('revocation (RFC 7009)', () => {
    it('revokes a client_credentials token: introspection refuses it, local verification does not', async () => {
      const token = await machineToken();
      const res = await oauth.revoke({ basic: machine }, token).expect(200);
      expect(res.text).toBe('');
      expect(res.headers['cache-control']).toBe('no-store');
      expect((await oauth.introspect({ basic: second }, token)).body).toEqual(INACTIVE);
      // Documented (docs/oidc.md): a resource server verifying locally accepts it until exp.
      await expect(verifyLocally(token, main)).resolves.toBeDefined();
      // Revoking again, or revoking garbage: still 200 (§2.2).
      await oauth.revoke({ basic: machine }, token).expect(200);
      await oauth.revoke({ basic: machine }, 'garbage').expect(200);
    });

    it("refuses to revoke another client's token, and ignores a public client trying", async () => {
      const token = await machineToken(machine);
      const res = await oauth.revoke({ basic: second }, token).expect(400);
      expect(res.body).toEqual({
        error: 'invalid_request',
        error_description: 'The token was issued to another client.',
      });
      await oauth.revoke({ none: spa.client_id }, token).expect(200);
      expect((await oauth.introspect({ basic: machine }, token)).body.active).toBe(true);
    });

    it('ends the session of a refresh token, and of a user access token', async () => {
      const me = tenantApi(system.dp.url, main);
      const first = await me.newUser('revoked');
      await oauth.revoke({ basic: machine }, first.tokens.refresh_token).expect(200);
      await me.get('/v1/me', first.tokens.access_token).expect(401);
      await me.refresh(first.tokens.refresh_token).expect(401);
      const db = system.dp.deps.pools.get({ tenantId: main.id, database: { mode: 'managed' } });
      const log = await db.auditLog.list({
        limit: 10,
        userId: first.id,
        action: 'session.revoked',
      });
      expect(log.rows).toEqual([
        expect.objectContaining({
          actor: `client:${machine.client_id}`,
          outcome: 'success',
          details: { session_id: expect.any(String), via: 'oauth2_revoke' },
        }),
      ]);
      // A public client names itself with client_id (RFC 7009 §2.1).
      const second = await me.newUser('revoked-by-spa');
      await oauth.revoke({ none: spa.client_id }, second.tokens.access_token).expect(200);
      await me.get('/v1/me', second.tokens.access_token).expect(401);
      expect(
        (await oauth.introspect({ basic: machine }, second.tokens.refresh_token)).body,
      ).toEqual(INACTIVE);
    });

    it('authenticates the caller like the token endpoint', async () => {
      const token = await machineToken();
      const res = await oauth
        .revoke({ basic: { client_id: machine.client_id, client_secret: 'hjcs_wrong' } }, token)
        .expect(401);
      expect(res.body).toEqual(INVALID_CLIENT);
      await oauth.revoke({}, token).expect(401);
      const missing = await oauth.post('revoke', {}, { basic: machine }).expect(400);
      expect(missing.body.error).toBe('invalid_request');
    });
  });

  describe('client changes on the control plane', () => {
    it('caches clients between requests', async () => {
      await machineToken();
      const before = system.clients.reads();
      for (let i = 0; i < 5; i++) await machineToken();
      expect(system.clients.reads()).toBe(before);
    });

    it('follows client.updated and client.deleted at once', async () => {
      const client = await register(main, {
        type: 'confidential',
        grant_types: ['client_credentials'],
      });
      const token = await machineToken(client);
      await system.clients.update(main.id, client.client_id, {
        grant_types: ['authorization_code'],
      });
      await eventually(async () => {
        expect((await oauth.token({ basic: client })).status).toBe(400);
      });
      await system.clients.remove(main.id, client.client_id);
      await eventually(async () => {
        expect((await oauth.token({ basic: client })).body).toEqual(INVALID_CLIENT);
      });
      // A deleted client's tokens stop being active.
      expect((await oauth.introspect({ basic: machine }, token)).body).toEqual(INACTIVE);
    });
  });

  describe('rate limits', () => {
    it('counts per address before authentication, and answers 429 in RFC 6749 form', async () => {
      const ip = '192.0.2.77';
      for (let i = 0; i < 60; i++) await oauth.revoke({}, 'x', ip).expect(401);
      const res = await oauth.revoke({ basic: machine }, 'x', ip).expect(429);
      expect(res.body.error).toBe('temporarily_unavailable');
      expect(res.headers['retry-after']).toBeDefined();
    });

    it('counts per authenticated client, which naming a client does not spend', async () => {
      const client = await register(main, {
        type: 'confidential',
        grant_types: ['client_credentials'],
      });
      const wrong = { client_id: client.client_id, client_secret: 'hjcs_wrong' };
      for (let i = 0; i < 61; i++) await oauth.revoke({ basic: wrong }, 'x').expect(401);
      for (let i = 0; i < 60; i++) await oauth.revoke({ basic: client }, 'x').expect(200);
      const res = await oauth.revoke({ basic: client }, 'x').expect(429);
      expect(res.body.error).toBe('temporarily_unavailable');
    });
  });
});
