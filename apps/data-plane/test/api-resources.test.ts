import { randomUUID } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import request from 'supertest';
import { PASSWORD, tenantApi } from './support/auth-client';
import { startDpSystem, type DpSystem, type TestTenant } from './support/dp-system';
import { codeFlowClient, firstPartyWebApp } from './support/fake-clients';
import { hostedBrowser, signInThrough } from './support/hosted-browser';
import { codeFlowTokens, issueCode, tenantDb } from './support/oidc-fixtures';
import {
  eventually,
  oauthApi,
  type ClientCredentials,
  type OAuthApi,
} from './support/oauth-client';

jest.setTimeout(60_000);

const APP = 'https://app.example.com/cb';

/**
 * API resources on the data plane (docs/apis.md): RFC 8707 `resource` (alias `audience`) on the
 * authorization and token endpoints, one audience per access token, the API's algorithm and
 * lifetime, machine grants, user permissions from roles, refresh bound to the API, and the
 * audiences introspection, userinfo and first-party routes accept. Embedded default (SQLite,
 * in-process bus) behind a fake control plane that serves the resources.
 */
describe('API resources: tokens for an audience (data plane)', () => {
  let system: DpSystem;
  let tenant: TestTenant;
  let other: TestTenant;
  let oauth: OAuthApi;
  let machine: ClientCredentials;
  let web: ClientCredentials;
  let user: { id: string; email: string };
  const INVOICES = `https://api.example.com/invoices/${randomUUID()}`;
  const REPORTS = `https://api.example.com/reports/${randomUUID()}`;
  const ADMIN_ONLY = `urn:example:users-only:${randomUUID()}`;
  let invoicesId: string;

  beforeAll(async () => {
    system = await startDpSystem();
    tenant = await system.createTenant('apis');
    other = await system.createTenant('apis-other');
    oauth = oauthApi(system.dp.url, tenant);
    machine = await system.clients.register(tenant.id, {
      type: 'confidential',
      grant_types: ['client_credentials'],
      scopes: ['billing:read'],
    });
    web = await system.clients.register(tenant.id, {
      ...firstPartyWebApp(APP),
      grant_types: ['authorization_code', 'refresh_token'],
    });
    invoicesId = (
      await system.clients.defineResource(tenant.id, {
        identifier: INVOICES,
        name: 'Invoices API',
        scopes: [
          { name: 'invoices:read', description: 'Read your invoices' },
          'invoices:write',
          'invoices:delete',
        ],
        access_token_alg: 'ES256',
        access_token_ttl: 120,
      })
    ).id;
    const reports = await system.clients.defineResource(tenant.id, {
      identifier: REPORTS,
      scopes: ['reports:read'],
      access_token_alg: 'RS256',
      subjects: 'machines',
    });
    await system.clients.defineResource(tenant.id, {
      identifier: ADMIN_ONLY,
      scopes: ['users:read'],
      subjects: 'users',
    });
    await system.clients.grantResource(tenant.id, invoicesId, machine.client_id, [
      'invoices:read',
      'invoices:write',
    ]);
    await system.clients.grantResource(tenant.id, reports.id, machine.client_id, ['reports:read']);
    const created = await tenantApi(system.dp.url, tenant).newUser('api-user');
    user = { id: created.id, email: created.email };
    // The user's role permits reading and deleting invoices, not writing them.
    const db = tenantDb(system, tenant);
    const roleId = randomUUID();
    await db.roles.insert({
      id: roleId,
      organizationId: null,
      key: `clerk-${roleId.slice(0, 8)}`,
      name: 'Clerk',
      permissions: ['invoices:read', 'invoices:delete'],
    });
    await db.userRoles.assign(user.id, roleId);
  });
  afterAll(async () => {
    await system.close();
  });

  const machineToken = (fields: Record<string, string> | string) =>
    oauth.post(
      'token',
      typeof fields === 'string'
        ? `grant_type=client_credentials&${fields}`
        : { grant_type: 'client_credentials', ...fields },
      { basic: machine },
    );

  describe('client credentials', () => {
    it('issues a token for the API: its audience, algorithm, lifetime and the granted scopes', async () => {
      const res = await machineToken({ resource: INVOICES }).expect(200);
      const body = res.body as { access_token: string; expires_in: number; scope: string };
      expect(body.expires_in).toBe(120);
      expect(body.scope).toBe('invoices:read invoices:write');
      expect(decodeProtectedHeader(body.access_token)).toMatchObject({
        alg: 'ES256',
        typ: 'at+jwt',
      });
      expect(decodeJwt(body.access_token)).toMatchObject({
        iss: tenant.issuer,
        aud: INVOICES,
        sub: machine.client_id,
        client_id: machine.client_id,
        scope: 'invoices:read invoices:write',
        permissions: ['invoices:read', 'invoices:write'],
      });
      const rs = await machineToken({ audience: REPORTS }).expect(200);
      expect(decodeProtectedHeader((rs.body as { access_token: string }).access_token).alg).toBe(
        'RS256',
      );
    });

    it('narrows to the requested scopes; refuses one the client was not granted', async () => {
      const res = await machineToken({ resource: INVOICES, scope: 'invoices:read' }).expect(200);
      expect(decodeJwt((res.body as { access_token: string }).access_token).scope).toBe(
        'invoices:read',
      );
      const refused = await machineToken({
        resource: INVOICES,
        scope: 'invoices:delete',
      }).expect(400);
      expect(refused.body).toMatchObject({ error: 'invalid_scope' });
    });

    it.each([
      ['an unknown resource', { resource: 'https://api.example.com/unknown' }],
      ['a users-only resource', { resource: ADMIN_ONLY }],
      ['a relative resource', { resource: '/invoices' }],
      ['a resource with a fragment', { resource: `${INVOICES}#x` }],
      ['resource and audience naming different APIs', { resource: INVOICES, audience: REPORTS }],
    ])('answers invalid_target for %s', async (_name, fields) => {
      const res = await machineToken(fields).expect(400);
      expect(res.body).toMatchObject({ error: 'invalid_target' });
    });

    it('answers invalid_target for two resources in one request', async () => {
      const both = `resource=${encodeURIComponent(INVOICES)}&resource=${encodeURIComponent(REPORTS)}`;
      const res = await machineToken(both).expect(400);
      expect(res.body).toMatchObject({ error: 'invalid_target' });
    });

    it('refuses a client without a grant, until the control plane grants it (event-driven)', async () => {
      const newcomer = await system.clients.register(tenant.id, {
        type: 'confidential',
        grant_types: ['client_credentials'],
      });
      const ask = () =>
        oauth.post(
          'token',
          { grant_type: 'client_credentials', resource: INVOICES },
          { basic: newcomer },
        );
      expect((await ask().expect(400)).body).toMatchObject({ error: 'invalid_target' });
      await system.clients.grantResource(tenant.id, invoicesId, newcomer.client_id, [
        'invoices:read',
      ]);
      await eventually(async () => {
        const res = await ask();
        expect(res.status).toBe(200);
      });
    });

    it("never resolves another tenant's resource", async () => {
      const foreign = await system.clients.register(other.id, {
        type: 'confidential',
        grant_types: ['client_credentials'],
      });
      const res = await oauthApi(system.dp.url, other)
        .post('token', { grant_type: 'client_credentials', resource: INVOICES }, { basic: foreign })
        .expect(400);
      expect(res.body).toMatchObject({ error: 'invalid_target' });
    });

    it('keeps the tenant audience without a resource', async () => {
      const res = await machineToken({}).expect(200);
      expect(decodeJwt((res.body as { access_token: string }).access_token).aud).toBe(
        tenant.issuer,
      );
    });
  });

  describe('audiences at introspection, userinfo and first-party routes', () => {
    it('introspects an API token as active with its audience; userinfo and /v1/me refuse it', async () => {
      const res = await machineToken({ resource: INVOICES }).expect(200);
      const token = (res.body as { access_token: string }).access_token;
      const described = await oauth.introspect({ basic: machine }, token).expect(200);
      expect(described.body).toMatchObject({
        active: true,
        aud: INVOICES,
        scope: 'invoices:read invoices:write',
        client_id: machine.client_id,
      });
      const signedIn = await codeFlowTokens(system, tenant, web, {
        userId: user.id,
        redirectUri: APP,
        scope: 'openid invoices:read',
        challenge: null,
        resource: INVOICES,
      });
      await request(system.dp.url)
        .get(`/t/${tenant.slug}/userinfo`)
        .set('Authorization', `Bearer ${signedIn.body.access_token}`)
        .expect(401);
      await request(system.dp.url)
        .get('/v1/me')
        .set('X-Tenant-ID', tenant.slug)
        .set('Authorization', `Bearer ${signedIn.body.access_token}`)
        .expect(401);
    });
  });

  describe('users: the code flow with a resource', () => {
    it('signs in on the hosted login for the API: the token carries the requested scopes the user holds', async () => {
      const browser = hostedBrowser(system.dp.url, tenant);
      const done = await signInThrough(
        browser,
        {
          client_id: web.client_id,
          redirect_uri: APP,
          response_type: 'code',
          scope: 'openid offline_access invoices:read invoices:write',
          state: 's',
          resource: INVOICES,
        },
        { email: user.email, password: PASSWORD },
      );
      const code = new URL(String(done.headers.location)).searchParams.get('code');
      expect(code).toBeTruthy();
      const res = await oauth
        .post(
          'token',
          { grant_type: 'authorization_code', code: code!, redirect_uri: APP, resource: INVOICES },
          { basic: web },
        )
        .expect(200);
      const body = res.body as {
        access_token: string;
        id_token: string;
        refresh_token: string;
        scope: string;
        expires_in: number;
      };
      expect(body.expires_in).toBe(120);
      expect(decodeProtectedHeader(body.access_token).alg).toBe('ES256');
      // invoices:write was asked for but no role of the user permits it.
      expect(decodeJwt(body.access_token)).toMatchObject({
        aud: INVOICES,
        sub: user.id,
        scope: 'openid offline_access invoices:read',
        permissions: ['invoices:read'],
      });
      expect(decodeJwt(body.id_token).aud).toBe(web.client_id);

      // Refresh keeps the API; naming it again is fine, naming another is not (token unspent).
      const wrong = await oauth
        .post(
          'token',
          { grant_type: 'refresh_token', refresh_token: body.refresh_token, resource: REPORTS },
          { basic: web },
        )
        .expect(400);
      expect(wrong.body).toMatchObject({ error: 'invalid_target' });
      const refreshed = await oauth
        .post(
          'token',
          {
            grant_type: 'refresh_token',
            refresh_token: body.refresh_token,
            resource: INVOICES,
            scope: 'openid invoices:read',
          },
          { basic: web },
        )
        .expect(200);
      const next = refreshed.body as { access_token: string; refresh_token: string };
      expect(decodeJwt(next.access_token)).toMatchObject({
        aud: INVOICES,
        scope: 'openid invoices:read',
        permissions: ['invoices:read'],
      });
      const introspected = await oauth.introspect({ basic: web }, next.refresh_token).expect(200);
      expect(introspected.body).toMatchObject({ active: true, aud: INVOICES });
    });

    it("shows the API's scope descriptions on the consent page of a third-party client", async () => {
      const thirdParty = await system.clients.register(tenant.id, codeFlowClient(APP));
      const browser = hostedBrowser(system.dp.url, tenant);
      const done = await signInThrough(
        browser,
        {
          client_id: thirdParty.client_id,
          redirect_uri: APP,
          response_type: 'code',
          scope: 'openid invoices:read invoices:write',
          state: 's',
          resource: INVOICES,
        },
        { email: user.email, password: PASSWORD },
      );
      const consentUrl = String(done.headers.location);
      expect(consentUrl).toContain('/login/consent');
      const page = await browser.get(consentUrl).expect(200);
      expect(page.text).toContain('Read your invoices (Invoices API)');
      // A scope the API does not describe is named as it is.
      expect(page.text).toContain('invoices:write');
    });

    it('refuses at /authorize an unknown or machines-only resource, and scopes of another API', async () => {
      const browser = hostedBrowser(system.dp.url, tenant);
      const base = {
        client_id: web.client_id,
        redirect_uri: APP,
        response_type: 'code',
        scope: 'openid',
        state: 's',
      };
      const cases: [Record<string, string>, string][] = [
        [{ resource: 'https://api.example.com/nope' }, 'invalid_target'],
        [{ resource: REPORTS }, 'invalid_target'],
        [{ resource: INVOICES, audience: ADMIN_ONLY }, 'invalid_target'],
        [{ resource: INVOICES, scope: 'openid reports:read' }, 'invalid_scope'],
        [{ scope: 'openid invoices:read' }, 'invalid_scope'],
      ];
      for (const [extra, error] of cases) {
        const res = await browser.authorize({ ...base, ...extra }).expect(303);
        const location = new URL(String(res.headers.location));
        expect({ extra, error: location.searchParams.get('error') }).toEqual({ extra, error });
      }
    });

    it('refuses at the token endpoint a resource the code was not issued for', async () => {
      const redeem = async (resource: string | undefined, asked: string) => {
        const issued = await issueCode(tenantDb(system, tenant), {
          clientId: web.client_id,
          userId: user.id,
          redirectUri: APP,
          scope: 'openid',
          challenge: null,
          ...(resource === undefined ? {} : { resource }),
        });
        return oauth.post(
          'token',
          {
            grant_type: 'authorization_code',
            code: issued.code,
            redirect_uri: APP,
            resource: asked,
          },
          { basic: web },
        );
      };
      expect((await redeem(INVOICES, ADMIN_ONLY)).body).toMatchObject({
        error: 'invalid_target',
      });
      expect((await redeem(undefined, INVOICES)).body).toMatchObject({
        error: 'invalid_target',
      });
      const fine = await redeem(INVOICES, INVOICES);
      expect(fine.status).toBe(200);
      expect(decodeJwt((fine.body as { access_token: string }).access_token).aud).toBe(INVOICES);
    });
  });
});
