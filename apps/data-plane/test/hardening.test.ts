import { connect } from 'node:net';
import { createLogger, createMetrics } from '@hellojohn/http';
import { expectMalformedBodiesRefused, expectProblem, requestRaw } from '@hellojohn/testing';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../src/app';
import type { Deps } from '../src/deps';
import { startDpSystem, type DpSystem, type TestTenant } from './support/dp-system';

/**
 * @see issue 15: the data plane's side of the black-box probe's HTTP findings: (2) /metrics
 * labelled by raw `/t/{tenant}` paths, (3) malformed Content-Encoding answering 500, (7) bodies on
 * routes that take none, unknown query parameters accepted, no CSP on /docs, Cache-Control, HSTS
 * over plain HTTP, Node's empty 431, and X-Forwarded-For trusted from any private address. The
 * shared rules are in libs/http; this proves the data plane is wired to them.
 */

jest.setTimeout(60_000);

const PASSWORD = 'violet harbour lantern 47';

let system: DpSystem;
let tenant: TestTenant;
const logs: Array<{ level: number; msg?: string }> = [];
/** The running data plane's deps behind a fresh app: own metrics, a logger the test reads. */
let app: Express;

function appWith(overrides: Partial<Deps['config']> = {}): Express {
  const logger = createLogger({
    name: 'hardening',
    level: 'info',
    destination: {
      write(line: string) {
        logs.push(JSON.parse(line) as { level: number });
      },
    },
  });
  const config = { ...system.dp.deps.config, ...overrides };
  return createApp({ ...system.dp.deps, config, logger }, createMetrics('data_plane_hardening'));
}

let counter = 0;
/** A documentation-range address per request, so per-IP limits never interfere. */
const nextIp = (): string => `198.51.100.${(counter += 1) % 250}`;

async function signUp(target: Express | string, forwardedFor: string) {
  const res = await request(target)
    .post(`/t/${tenant.slug}/v1/auth/sign-up`)
    .set('X-Forwarded-For', forwardedFor)
    .send({ email: `hardening-${(counter += 1)}@example.com`, password: PASSWORD })
    .expect(201);
  return res.body as { access_token: string };
}

beforeAll(async () => {
  system = await startDpSystem();
  tenant = await system.createTenant('hardening');
  app = appWith();
});
afterAll(async () => {
  await system.close();
});

describe('/metrics (item 2)', () => {
  it('labels /t/{tenant} routes by pattern: slugs, their spellings and unknown ones never show', async () => {
    const upper = tenant.slug.toUpperCase();
    const encoded = `%${tenant.slug.charCodeAt(0).toString(16)}${tenant.slug.slice(1)}`;
    for (const path of [
      `/t/${tenant.slug}/v1/me`,
      `/t/${upper}/v1/me`,
      `/t/${encoded}/v1/me`,
      '/t/probe-unknown-slug-1/v1/me',
      '/t/probe-unknown-slug-2/v1/auth/sign-in',
      `/t/${tenant.slug}/.well-known/jwks.json`,
      `/t/${tenant.slug}/v1/probe-nothing`,
      '/probe/random/path',
    ]) {
      await request(app).get(path);
    }
    await request(app).get('/v1/me').set('X-Tenant-ID', tenant.slug).expect(401);
    const metrics = await request(app).get('/metrics').expect(200);
    const routes = new Set(
      [...metrics.text.matchAll(/http_requests_total\{[^}]*route="([^"]*)"/g)].map((m) => m[1]),
    );
    expect([...routes].sort()).toEqual([
      '/t/:tenant/.well-known/jwks.json',
      '/t/:tenant/v1/me',
      '/v1/me',
      'unmatched',
    ]);
    for (const leak of [tenant.slug, upper, encoded, 'probe-unknown', 'probe-nothing', 'random']) {
      expect(metrics.text).not.toContain(leak);
    }
  });

  it('asks for HJ_METRICS_TOKEN when it is set', async () => {
    const token = 'dp-metrics-token-0123456789abcdef';
    const guarded = appWith({ metricsToken: token });
    expectProblem(await request(guarded).get('/metrics'), 401);
    await request(guarded).get('/metrics').set('Authorization', `Bearer ${token}`).expect(200);
  });
});

describe('malformed Content-Encoding (item 3)', () => {
  it('answers 400/415 problem+json on every POST/PATCH/DELETE, logged at info at most', async () => {
    const t = `/t/${tenant.slug}`;
    // [method, path, takes a body]: a route without one reads nothing and answers 400.
    const routes: Array<[string, string, boolean]> = [
      ['POST', `${t}/v1/auth/sign-up`, true],
      ['POST', `${t}/v1/auth/sign-in`, true],
      ['POST', `${t}/v1/auth/refresh`, true],
      ['PATCH', `${t}/v1/me`, true],
      ['DELETE', `${t}/v1/me`, true],
      ['POST', `${t}/v1/admin/users`, true],
      ['POST', '/v1/auth/sign-in', true],
      ['DELETE', `${t}/v1/sessions/some-session`, false],
      ['POST', `${t}/v1/auth/sign-out-all`, false],
    ];
    const json = JSON.stringify({ email: 'a@example.com', password: PASSWORD });
    logs.length = 0;
    await expectMalformedBodiesRefused(app, routes, json, () => ({
      'X-Tenant-ID': tenant.slug,
      'X-Forwarded-For': nextIp(),
    }));
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.filter((line) => line.level > 30)).toEqual([]);
  });
});

describe('strict input (item 7)', () => {
  it('refuses a body on a route that takes none', async () => {
    const { access_token: token } = await signUp(app, nextIp());
    const t = `/t/${tenant.slug}`;
    for (const res of [
      await request(app).get(`${t}/v1/me`).set('Authorization', `Bearer ${token}`).send({ a: 1 }),
      await request(app)
        .post(`${t}/v1/auth/sign-out-all`)
        .set('Authorization', `Bearer ${token}`)
        .send({ everywhere: true }),
      await request(app)
        .get(`${t}/v1/sessions`)
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', 'text/plain')
        .send('hello'),
    ]) {
      expectProblem(res, 400);
      expect(res.body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'body' }] });
    }
    // sign-out-all did not run: the token still works.
    await request(app).get(`${t}/v1/me`).set('Authorization', `Bearer ${token}`).expect(200);
  });

  it('refuses unknown query parameters, naming them, as the control plane does', async () => {
    const { access_token: token } = await signUp(app, nextIp());
    const t = `/t/${tenant.slug}`;
    for (const [path, name] of [
      [`${t}/v1/me?fields=password_hash`, 'fields'],
      [`${t}/v1/sessions?limit=5&all=1`, 'all'],
    ] as const) {
      const res = await request(app).get(path).set('Authorization', `Bearer ${token}`);
      expectProblem(res, 400);
      expect(res.body.errors).toEqual([{ path: `query.${name}`, message: expect.any(String) }]);
    }
    const signIn = await request(app)
      .post(`${t}/v1/auth/sign-in?debug=1`)
      .set('X-Forwarded-For', nextIp())
      .send({ email: 'nobody@example.com', password: PASSWORD });
    expectProblem(signIn, 400);
    expect(signIn.body.errors).toEqual([{ path: 'query.debug', message: expect.any(String) }]);
  });
});

describe('response headers (item 7)', () => {
  it('serves /docs with a Content-Security-Policy', async () => {
    const res = await request(app).get('/docs/').expect(200);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toContain(`connect-src 'self' ${new URL(system.dp.deps.config.publicUrl).origin}`);
  });

  it('answers Cache-Control: no-store unless the route sets its own (JWKS, discovery)', async () => {
    const { access_token: token } = await signUp(app, nextIp());
    const t = `/t/${tenant.slug}`;
    for (const res of [
      await request(app).get(`${t}/v1/me`).set('Authorization', `Bearer ${token}`).expect(200),
      await request(app).get(`${t}/v1/me`).expect(401),
      await request(app).get('/t/probe-unknown-slug/v1/me').expect(404),
    ]) {
      expect(res.headers['cache-control']).toBe('no-store');
    }
    for (const path of ['/.well-known/jwks.json', '/.well-known/openid-configuration']) {
      const res = await request(app).get(`${t}${path}`).expect(200);
      expect(res.headers['cache-control']).toMatch(/^public, max-age=\d+$/);
    }
  });

  it('sends Strict-Transport-Security over HTTPS only', async () => {
    const plain = await request(system.dp.url).get('/healthz').expect(200);
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    const https = await request(system.dp.url)
      .get('/healthz')
      .set('X-Forwarded-Proto', 'https')
      .expect(200);
    expect(https.headers['strict-transport-security']).toMatch(/^max-age=/);
  });

  it('answers oversized headers with 431 problem+json (the running server)', async () => {
    const { port } = new URL(system.dp.url);
    const res = await requestRaw(Number(port), {
      path: `/t/${tenant.slug}/v1/me`,
      headers: { Authorization: `Bearer ${'x'.repeat(17_000)}` },
    });
    expect(res.status).toBe(431);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(res.text)).toMatchObject({ status: 431, code: 'headers_too_large' });
  });
});

describe('HJ_TRUST_PROXY (item 7)', () => {
  async function sessionIp(target: Express, forwardedFor: string): Promise<string> {
    const { access_token: token } = await signUp(target, forwardedFor);
    const res = await request(target)
      .get(`/t/${tenant.slug}/v1/sessions`)
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    return (res.body as { data: Array<{ ip: string | null }> }).data[0]?.ip ?? '';
  }

  it('believes X-Forwarded-For from a loopback proxy by default', async () => {
    expect(await sessionIp(app, '203.0.113.9')).toBe('203.0.113.9');
  });

  it('believes no proxy with HJ_TRUST_PROXY=false, nor a proxy outside the list', async () => {
    expect(await sessionIp(appWith({ trustProxy: false }), '203.0.113.10')).toMatch(
      /127\.0\.0\.1$/,
    );
    expect(await sessionIp(appWith({ trustProxy: ['10.0.0.0/8'] }), '203.0.113.11')).toMatch(
      /127\.0\.0\.1$/,
    );
  });
});

/** One raw HTTP/1.1 exchange with the running server: exactly these bytes, all it answers. */
function exchangeRaw(bytes: Buffer): Promise<string> {
  const { hostname, port } = new URL(system.dp.url);
  return new Promise((resolve, reject) => {
    let answer = '';
    const socket = connect(Number(port), hostname, () => socket.end(bytes));
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('close', () => {
      resolve(answer);
    });
    socket.on('error', reject);
  });
}

/** @see issue 15: the OpenAPI fuzzer's "errors without a code": Node's parser refusals. */
describe('every error carries a catalogue code (issue 15, fuzzing: errors without a code)', () => {
  it.each([
    [
      'raw non-ASCII bytes in the path',
      Buffer.from('GET /v1/caf\xe9\xff HTTP/1.1\r\nHost: x\r\n\r\n', 'latin1'),
    ],
    ['a space in the path', Buffer.from('GET /v1/a b HTTP/1.1\r\nHost: x\r\n\r\n')],
    ['a bad method', Buffer.from('G\u0000T /v1/me HTTP/1.1\r\nHost: x\r\n\r\n')],
  ])('answers %s with 400 malformed_request', async (_name, bytes) => {
    const answer = await exchangeRaw(bytes);
    const [head = '', body = ''] = answer.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 400 /);
    expect(head).toMatch(/\r\nContent-Type: application\/problem\+json\r\n/i);
    expect(JSON.parse(body)).toEqual({
      type: 'https://hellojohn.dev/errors/malformed_request',
      title: 'The request is not valid HTTP/1.1',
      status: 400,
      code: 'malformed_request',
      detail: 'The request is not valid HTTP/1.1.',
    });
  });
});

/**
 * @see issue 15: the OpenAPI fuzzer's "text that is not well-formed": passwords, emails, the
 * admin-users email filter and refresh tokens with NUL or lone surrogates were accepted.
 */
describe('well-formed text only (issue 15, fuzzing: lone surrogates and NUL)', () => {
  const t = () => `/t/${tenant.slug}`;
  const post = (path: string, body: object, token?: string) => {
    const req = request(app).post(`${t()}${path}`).set('X-Forwarded-For', nextIp());
    return (token ? req.set('Authorization', `Bearer ${token}`) : req).send(body);
  };
  const fieldsOf = (res: request.Response): string[] =>
    ((res.body as { errors?: Array<{ path: string }> }).errors ?? []).map((e) => e.path);

  /**
   * @see issue 15: UTF-8 turns every lone surrogate into U+FFFD, so a password ending in \ud800
   * signed in with one ending in \udfff (200). Both are now refused before any hashing.
   */
  it('refuses passwords with lone surrogates: two such passwords can no longer collide', async () => {
    const email = `surrogate-${(counter += 1)}@example.com`;
    const signUp = await post('/v1/auth/sign-up', { email, password: 'abcdefghijkl\ud800' });
    expectProblem(signUp, 400);
    expect(signUp.body.code).toBe('validation_failed');
    expect(fieldsOf(signUp)).toEqual(['body.password']);
    const signIn = await post('/v1/auth/sign-in', { email, password: 'abcdefghijkl\udfff' });
    expectProblem(signIn, 400);
    expect(fieldsOf(signIn)).toEqual(['body.password']);
    // Nothing was created: the address is still free for a well-formed password.
    await post('/v1/auth/sign-up', { email, password: PASSWORD }).expect(201);
  });

  it('refuses NUL and lone surrogates in emails, new passwords and the password to delete', async () => {
    const { access_token: token } = await signUp(app, nextIp());
    for (const [path, body, field] of [
      ['/v1/auth/sign-up', { email: 'nul\u0000@example.com', password: PASSWORD }, 'body.email'],
      [
        '/v1/auth/sign-in',
        { email: 'a@example.com', password: `${PASSWORD}\u0000` },
        'body.password',
      ],
      [
        '/v1/me/password',
        { current_password: PASSWORD, new_password: 'a b\udfffrand new long password 42' },
        'body.new_password',
      ],
    ] as const) {
      const res = await post(path, body, path.startsWith('/v1/me') ? token : undefined);
      expectProblem(res, 400);
      expect({ path, fields: fieldsOf(res) }).toEqual({ path, fields: [field] });
    }
    const remove = await request(app)
      .delete(`${t()}/v1/me`)
      .set('Authorization', `Bearer ${token}`)
      .set('X-Forwarded-For', nextIp())
      .send({ password: '\ud83e' });
    expectProblem(remove, 400);
    expect(fieldsOf(remove)).toEqual(['body.password']);
    // The password did not change and the account is still there.
    await request(app).get(`${t()}/v1/me`).set('Authorization', `Bearer ${token}`).expect(200);
  });

  it('takes only hjrt_ and base64url characters as a refresh token', async () => {
    for (const refreshToken of [
      'hjrt_abc\u0000',
      'hjrt_abc\ud800',
      'hjrt_ab+c/d=',
      'x'.repeat(40),
    ]) {
      for (const path of ['/v1/auth/refresh', '/v1/auth/sign-out']) {
        const res = await post(path, { refresh_token: refreshToken });
        expectProblem(res, 400);
        expect({ path, refreshToken, fields: fieldsOf(res) }).toEqual({
          path,
          refreshToken,
          fields: ['body.refresh_token'],
        });
      }
    }
    // Well-formed but unknown is still the lookup's answer.
    const unknown = await post('/v1/auth/refresh', { refresh_token: 'hjrt_not-a-real-token' });
    expect(unknown.status).toBe(401);
    expect(unknown.body.code).toBe('refresh_token_invalid');
  });

  it('refuses NUL in the admin-users ?email= filter', async () => {
    const token = await system.cpAdminToken('viewer');
    const res = await request(app)
      .get(`${t()}/v1/admin/users?email=a%00b`)
      .set('Authorization', `Bearer ${token}`);
    expectProblem(res, 400);
    expect(fieldsOf(res)).toEqual(['query.email']);
    await request(app)
      .get(`${t()}/v1/admin/users?email=hardening`)
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
  });
});
