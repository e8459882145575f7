import { request as httpRequest } from 'node:http';
import { closeServer, createLogger, createMetrics, listen } from '@hellojohn/http';
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

function expectProblem(res: { status: number; headers: object; body: unknown }, status: number) {
  expect(res.status).toBe(status);
  expect((res.headers as Record<string, string>)['content-type']).toMatch(
    /^application\/problem\+json/,
  );
  expect(res.body).toMatchObject({ status });
}

/** Exact bytes over a real socket: supertest would serialise a Buffer as JSON. */
async function sendBytes(
  method: string,
  path: string,
  headers: Record<string, string>,
  body: Buffer | string,
): Promise<{ status: number; headers: object; body: Record<string, unknown> }> {
  const { server, port } = await listen(app, 0, '127.0.0.1');
  try {
    return await new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          port,
          host: '127.0.0.1',
          method,
          path,
          headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => {
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
            });
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  } finally {
    await closeServer(server);
  }
}

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
    const encodings: Array<[string, Buffer | string, number]> = [
      ['gzip', json, 400],
      ['deflate', Buffer.from('definitely not deflate'), 400],
      ['br', Buffer.from([0xff, 0xfe, 0x00, 0x41]), 400],
      ['x-made-up', json, 415],
    ];
    logs.length = 0;
    for (const [method, path, takesBody] of routes) {
      for (const [encoding, body, status] of encodings) {
        const res = await sendBytes(
          method,
          path,
          {
            'Content-Type': 'application/json',
            'Content-Encoding': encoding,
            'X-Tenant-ID': tenant.slug,
            'X-Forwarded-For': nextIp(),
          },
          body,
        );
        expectProblem(res, takesBody ? status : 400);
      }
    }
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
    const res = await new Promise<{ status: number; type: string; body: string }>(
      (resolve, reject) => {
        const req = httpRequest(
          {
            port: Number(port),
            host: '127.0.0.1',
            path: `/t/${tenant.slug}/v1/me`,
            headers: { Authorization: `Bearer ${'x'.repeat(17_000)}` },
          },
          (answer) => {
            let body = '';
            answer.setEncoding('utf8');
            answer.on('data', (chunk: string) => (body += chunk));
            answer.on('end', () => {
              resolve({
                status: answer.statusCode ?? 0,
                type: String(answer.headers['content-type']),
                body,
              });
            });
          },
        );
        req.on('error', reject);
        req.end();
      },
    );
    expect(res.status).toBe(431);
    expect(res.type).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(res.body)).toMatchObject({ status: 431 });
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
