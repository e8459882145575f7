import request, { type Response } from 'supertest';
import { startDpSystem, type DpSystem, type TestTenant } from './support/dp-system';
import { basicHeader, eventually, type ClientCredentials } from './support/oauth-client';

jest.setTimeout(60_000);

const SPA = 'https://spa.example.com';
const DASHBOARD = 'http://localhost:5173';
const FOREIGN = 'https://foreign.example.com';

/** Every `Access-Control-*` header of a response. */
function corsHeadersOf(res: Response): Record<string, string> {
  return Object.fromEntries(
    Object.entries(res.headers as Record<string, string>).filter(([name]) =>
      name.startsWith('access-control-'),
    ),
  );
}

function expectVaryOrigin(res: Response): void {
  const vary = (res.headers as Record<string, string | undefined>).vary ?? '';
  expect(vary.split(/\s*,\s*/)).toContain('Origin');
}

/**
 * CORS for browser apps (docs/oidc.md, "CORS") over HTTP, on the embedded default (SQLite,
 * in-process bus), with a fake control plane serving the clients and publishing `client.*`:
 * answered for the union of a tenant's clients' `allowed_origins` on discovery, JWKS, the token,
 * revocation, introspection and UserInfo endpoints and `/t/{tenant}/v1/...`; never on the pages a
 * browser navigates to (RFC 9700 §2.6) nor at the root.
 */
describe('CORS (data plane)', () => {
  let system: DpSystem;
  let main: TestTenant;
  let other: TestTenant;
  let spa: ClientCredentials;
  let machine: ClientCredentials;

  beforeAll(async () => {
    system = await startDpSystem();
    main = await system.createTenant('cors');
    other = await system.createTenant('cors-other');
    spa = await system.clients.register(main.id, {
      type: 'public',
      grant_types: ['authorization_code'],
      redirect_uris: [`${SPA}/cb`],
      allowed_origins: [SPA],
    });
    machine = await system.clients.register(main.id, {
      type: 'confidential',
      grant_types: ['client_credentials'],
      allowed_origins: [DASHBOARD],
    });
    // More clients than the fake's page: the union spans several pages.
    await system.clients.register(main.id, {
      type: 'confidential',
      grant_types: ['client_credentials'],
    });
    await system.clients.register(other.id, {
      type: 'public',
      grant_types: ['authorization_code'],
      redirect_uris: [`${FOREIGN}/cb`],
      allowed_origins: [FOREIGN],
    });
  });
  afterAll(async () => {
    await system.close();
  });

  /** A request to every endpoint CORS is answered on, from `origin`. */
  function corsRequests(tenant: TestTenant, origin: string) {
    const dp = request(system.dp.url);
    const form = (path: string, body: Record<string, string>) =>
      dp
        .post(path)
        .set('Origin', origin)
        .set('Authorization', basicHeader(machine.client_id, machine.client_secret ?? ''))
        .type('form')
        .send(new URLSearchParams(body).toString());
    return {
      discovery: () =>
        dp.get(`/t/${tenant.slug}/.well-known/openid-configuration`).set('Origin', origin),
      jwks: () => dp.get(`/t/${tenant.slug}/.well-known/jwks.json`).set('Origin', origin),
      rfc8414: () =>
        dp.get(`/.well-known/oauth-authorization-server/t/${tenant.slug}`).set('Origin', origin),
      token: () => form(`/t/${tenant.slug}/oauth2/token`, { grant_type: 'client_credentials' }),
      revoke: () => form(`/t/${tenant.slug}/oauth2/revoke`, { token: 'not-a-token' }),
      introspect: () => form(`/t/${tenant.slug}/oauth2/introspect`, { token: 'not-a-token' }),
      userinfo: () => dp.get(`/t/${tenant.slug}/userinfo`).set('Origin', origin),
      me: () => dp.get(`/t/${tenant.slug}/v1/me`).set('Origin', origin),
      signIn: () =>
        dp
          .post(`/t/${tenant.slug}/v1/auth/sign-in`)
          .set('Origin', origin)
          .send({ email: 'nobody@example.com', password: 'wrong-password-123' }),
    };
  }

  describe('requests from an allowed origin', () => {
    it.each([SPA, DASHBOARD])(
      'get Allow-Origin (%s), Expose-Headers and Vary on every CORS endpoint, without credentials',
      async (origin) => {
        for (const [name, send] of Object.entries(corsRequests(main, origin))) {
          const res = await send();
          expect({ name, cors: corsHeadersOf(res) }).toEqual({
            name,
            cors: {
              'access-control-allow-origin': origin,
              'access-control-expose-headers': 'WWW-Authenticate, Retry-After, X-Request-ID',
            },
          });
          expectVaryOrigin(res);
        }
      },
    );

    it('keep them on errors, so the app can read WWW-Authenticate', async () => {
      const res = await corsRequests(main, SPA).me().expect(401);
      expect(res.headers['access-control-allow-origin']).toBe(SPA);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    });

    it('are still served as they would be without CORS', async () => {
      const res = await corsRequests(main, DASHBOARD).token().expect(200);
      expect(res.body).toMatchObject({ token_type: 'Bearer' });
      await corsRequests(main, SPA).discovery().expect(200);
    });
  });

  it("gives no CORS headers to another tenant's origin or an unregistered one", async () => {
    for (const origin of [FOREIGN, 'https://evil.example.com', 'null', SPA.toUpperCase()]) {
      for (const [name, send] of Object.entries(corsRequests(main, origin))) {
        const res = await send();
        expect({ name, origin, cors: corsHeadersOf(res) }).toEqual({ name, origin, cors: {} });
        expectVaryOrigin(res);
      }
    }
  });

  it("answers the console's origin on /readyz, which runs before every router", async () => {
    const consoleOrigin = new URL(system.cpUrl).origin;
    const res = await request(system.dp.url).get('/readyz').set('Origin', consoleOrigin);
    expect(res.headers['access-control-allow-origin']).toBe(consoleOrigin);
    const foreign = await request(system.dp.url).get('/readyz').set('Origin', FOREIGN);
    expect(corsHeadersOf(foreign)).toEqual({});
  });

  it('sends Vary: Origin on the CORS endpoints without an Origin too (discovery is cacheable)', async () => {
    const res = await request(system.dp.url)
      .get(`/t/${main.slug}/.well-known/openid-configuration`)
      .expect(200);
    expect(res.headers['cache-control']).toMatch(/public/);
    expectVaryOrigin(res);
    expect(corsHeadersOf(res)).toEqual({});
  });

  it('never answers CORS on authorize, login or end-session, nor at the root', async () => {
    const dp = request(system.dp.url);
    const paths = [
      `/t/${main.slug}/oauth2/authorize?client_id=${spa.client_id}&response_type=code`,
      `/t/${main.slug}/login`,
      `/t/${main.slug}/login/consent`,
      `/t/${main.slug}/oauth2/end-session`,
    ];
    for (const path of paths) {
      const res = await dp.get(path).set('Origin', SPA);
      expect({ path, cors: corsHeadersOf(res) }).toEqual({ path, cors: {} });
      const preflight = await dp
        .options(path)
        .set('Origin', SPA)
        .set('Access-Control-Request-Method', 'POST');
      expect({ path, cors: corsHeadersOf(preflight) }).toEqual({ path, cors: {} });
    }
    // Root-level routes take their tenant from X-Tenant-ID, which a preflight does not carry.
    const root = await dp
      .get('/v1/me')
      .set('X-Tenant-ID', main.slug)
      .set('Origin', SPA)
      .expect(401);
    expect(corsHeadersOf(root)).toEqual({});
  });

  describe('preflights', () => {
    const preflight = (path: string, origin: string, method = 'POST') =>
      request(system.dp.url)
        .options(path)
        .set('Origin', origin)
        .set('Access-Control-Request-Method', method)
        .set('Access-Control-Request-Headers', 'authorization, content-type');

    it('are answered 204 for an allowed origin, with the methods of the endpoint', async () => {
      const cases: [string, string][] = [
        [`/t/${main.slug}/oauth2/token`, 'POST'],
        [`/t/${main.id}/oauth2/revoke`, 'POST'],
        [`/t/${main.slug}/userinfo`, 'GET, POST'],
        [`/t/${main.slug}/.well-known/jwks.json`, 'GET'],
        [`/t/${main.slug}/v1/me`, 'GET, POST, PUT, PATCH, DELETE'],
      ];
      for (const [path, methods] of cases) {
        const res = await preflight(path, SPA).expect(204);
        expect({ path, cors: corsHeadersOf(res) }).toEqual({
          path,
          cors: {
            'access-control-allow-origin': SPA,
            'access-control-allow-methods': methods,
            'access-control-allow-headers': 'Authorization, Content-Type, DPoP, X-Request-ID',
            'access-control-max-age': '600',
          },
        });
        expectVaryOrigin(res);
        expect(res.text).toBe('');
      }
    });

    it('are refused 403 without CORS headers for other origins and unknown tenants', async () => {
      const cases: [string, string][] = [
        [`/t/${main.slug}/oauth2/token`, FOREIGN],
        [`/t/${main.slug}/oauth2/token`, 'https://evil.example.com'],
        [`/t/${other.slug}/oauth2/token`, SPA],
        ['/t/no-such-tenant/oauth2/token', SPA],
      ];
      for (const [path, origin] of cases) {
        const res = await preflight(path, origin).expect(403);
        expect({ path, origin, cors: corsHeadersOf(res) }).toEqual({ path, origin, cors: {} });
        expectVaryOrigin(res);
      }
    });
  });

  it('follows client changes at once: an added origin is served, a deleted client is not', async () => {
    const added = 'https://new.example.com';
    const token = `/t/${main.slug}/oauth2/token`;
    const preflight = (origin: string) =>
      request(system.dp.url)
        .options(token)
        .set('Origin', origin)
        .set('Access-Control-Request-Method', 'POST');
    // Cached before the change, refused.
    await preflight(added).expect(403);
    await system.clients.update(main.id, spa.client_id, { allowed_origins: [SPA, added] });
    await eventually(async () => {
      await preflight(added).expect(204);
    });
    const res = await corsRequests(main, added).discovery().expect(200);
    expect(res.headers['access-control-allow-origin']).toBe(added);

    await system.clients.remove(main.id, spa.client_id);
    await eventually(async () => {
      await preflight(SPA).expect(403);
    });
    await preflight(added).expect(403);
    await preflight(DASHBOARD).expect(204);
  });
});
