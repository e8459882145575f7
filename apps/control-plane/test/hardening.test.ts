import { connect } from 'node:net';
import { closeServer, createLogger, createMetrics, listen } from '@hellojohn/http';
import { expectMalformedBodiesRefused, expectProblem, requestRaw } from '@hellojohn/testing';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../src/app';
import { startCpApp, type CpApp } from './support/cp-app';

/**
 * @see issue 15: the control plane's side of the black-box probe's HTTP findings: (2) /metrics
 * labels and its token, (3) malformed Content-Encoding, (7) bodies on routes that take none,
 * unknown query parameters, the /docs CSP, Cache-Control, HSTS, oversized headers and
 * HJ_TRUST_PROXY. The shared rules are in libs/http; this proves the app is wired to them.
 */

const METRICS_TOKEN = 'cp-metrics-token-0123456789abcdef';

let cp: CpApp;
let owner: string;
/** The same app with a logger the test reads (pino levels: 30 info, 40 warn, 50 error). */
let app: Express;
const logs: Array<{ level: number; msg?: string }> = [];

beforeAll(async () => {
  cp = await startCpApp();
  owner = await cp.token();
  const logger = createLogger({
    name: 'hardening',
    level: 'info',
    destination: {
      write(line: string) {
        logs.push(JSON.parse(line) as { level: number });
      },
    },
  });
  app = createApp({ ...cp.deps, logger }, createMetrics('control_plane_hardening'));
});
afterAll(async () => {
  await cp.close();
});

describe('/metrics (item 2)', () => {
  it('labels by route pattern: no tenant slug, id or unknown path ever becomes a series', async () => {
    const tenant = await cp.createTenant('metrics-secret-slug');
    const as = (path: string) => request(app).get(path).set('Authorization', `Bearer ${owner}`);
    await as(`/v1/tenants/${tenant.slug}`).expect(200);
    await as(`/v1/tenants/${tenant.id}`).expect(200);
    await as('/v1/tenants/metrics-%73ecret-slug').expect(200);
    await as('/v1/tenants/no-such-tenant-here').expect(404);
    await as('/v1/probe/whatever-9f3a').expect(404);
    const metrics = await request(app).get('/metrics').expect(200);
    const routes = new Set(
      [...metrics.text.matchAll(/http_requests_total\{[^}]*route="([^"]*)"/g)].map((m) => m[1]),
    );
    expect(routes).toContain('/v1/tenants/:tenant');
    expect(routes).toContain('unmatched');
    expect(metrics.text).not.toMatch(/metrics-secret-slug|%73ecret|no-such-tenant|whatever-9f3a/);
    expect(metrics.text).not.toContain(tenant.id);
  });

  it('asks for HJ_METRICS_TOKEN when it is set', async () => {
    const guarded = await startCpApp(undefined, { env: { HJ_METRICS_TOKEN: METRICS_TOKEN } });
    try {
      const denied = await request(guarded.app).get('/metrics');
      expectProblem(denied, 401);
      expect(denied.headers['www-authenticate']).toMatch(/^Bearer/);
      await request(guarded.app)
        .get('/metrics')
        .set('Authorization', `Bearer ${METRICS_TOKEN}`)
        .expect(200);
    } finally {
      await guarded.close();
    }
  });
});

describe('malformed Content-Encoding (item 3)', () => {
  it('answers 400/415 problem+json on every write route, logged at info at most', async () => {
    const tenant = await cp.createTenant();
    const json = JSON.stringify({ name: 'Renamed' });
    // [method, path, takes a body]: a route without one reads nothing and answers 400.
    const routes: Array<[string, string, boolean]> = [
      ['POST', '/v1/auth/sign-in', true],
      ['POST', '/v1/tenants', true],
      ['PATCH', `/v1/tenants/${tenant.id}`, true],
      ['POST', `/v1/tenants/${tenant.id}/clients`, true],
      ['DELETE', `/v1/tenants/${tenant.id}`, false],
      ['POST', `/v1/tenants/${tenant.id}/keys/rotate`, false],
    ];
    logs.length = 0;
    await expectMalformedBodiesRefused(app, routes, json, () => ({
      Authorization: `Bearer ${owner}`,
    }));
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.filter((line) => line.level > 30)).toEqual([]);
  });
});

describe('strict input (item 7)', () => {
  it('refuses a body on a route that takes none', async () => {
    const tenant = await cp.createTenant();
    for (const res of [
      await request(app)
        .post(`/v1/tenants/${tenant.id}/keys/rotate`)
        .set('Authorization', `Bearer ${owner}`)
        .send({ force: true }),
      await request(app)
        .delete(`/v1/tenants/${tenant.id}`)
        .set('Authorization', `Bearer ${owner}`)
        .send({ cascade: true }),
      await request(app)
        .get('/v1/tenants')
        .set('Authorization', `Bearer ${owner}`)
        .set('Content-Type', 'text/plain')
        .send('hello'),
    ]) {
      expectProblem(res, 400);
      expect(res.body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'body' }] });
    }
    // The tenant is still there: nothing ran.
    await request(app)
      .get(`/v1/tenants/${tenant.id}`)
      .set('Authorization', `Bearer ${owner}`)
      .expect(200);
  });

  it('refuses unknown query parameters, naming them', async () => {
    const tenant = await cp.createTenant();
    for (const path of [`/v1/tenants/${tenant.id}?expand=secrets`, '/v1/tenants?expand=secrets']) {
      const res = await request(app).get(path).set('Authorization', `Bearer ${owner}`);
      expectProblem(res, 400);
      expect(res.body.errors).toEqual([{ path: 'query.expand', message: expect.any(String) }]);
    }
  });
});

describe('response headers (item 7)', () => {
  it('serves /docs with a Content-Security-Policy', async () => {
    const res = await request(app).get('/docs/').expect(200);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toMatch(/connect-src 'self' http:\/\/localhost:8081/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
  });

  it('answers Cache-Control: no-store unless the route sets its own (the JWKS)', async () => {
    for (const res of [
      await request(app).get('/v1/tenants').set('Authorization', `Bearer ${owner}`).expect(200),
      await request(app).get('/v1/admins').expect(401),
      await request(app).get('/v1/nothing').expect(404),
    ]) {
      expect(res.headers['cache-control']).toBe('no-store');
    }
    const jwks = await request(app).get('/.well-known/jwks.json').expect(200);
    expect(jwks.headers['cache-control']).toBe('public, max-age=300');
  });

  it('sends Strict-Transport-Security over HTTPS only', async () => {
    const plain = await request(app).get('/healthz').expect(200);
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    const https = await request(app).get('/healthz').set('X-Forwarded-Proto', 'https').expect(200);
    expect(https.headers['strict-transport-security']).toMatch(/^max-age=/);
  });

  it('answers oversized headers with 431 problem+json', async () => {
    const { server, port } = await listen(app, 0, '127.0.0.1');
    try {
      const res = await requestRaw(port, {
        path: '/healthz',
        headers: { Cookie: 'x'.repeat(17_000) },
      });
      expect(res.status).toBe(431);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(res.text)).toMatchObject({ status: 431, code: 'headers_too_large' });
    } finally {
      await closeServer(server);
    }
  });
});

describe('HJ_TRUST_PROXY (item 7)', () => {
  /** Wrong-password sign-ins, each "from" its own address and for its own email. */
  async function statusesFromDistinctAddresses(target: Express): Promise<number[]> {
    const statuses: number[] = [];
    for (let i = 1; i <= 25; i += 1) {
      const res = await request(target)
        .post('/v1/auth/sign-in')
        .set('X-Forwarded-For', `203.0.113.${i}`)
        .send({ email: `probe-${i}@example.com`, password: 'not-the-password-1' });
      statuses.push(res.status);
    }
    return statuses;
  }

  it('believes X-Forwarded-For from loopback by default: each address has its own budget', async () => {
    const fresh = await startCpApp();
    try {
      expect(new Set(await statusesFromDistinctAddresses(fresh.app))).toEqual(new Set([401]));
    } finally {
      await fresh.close();
    }
  });

  it('with HJ_TRUST_PROXY=false, ignores X-Forwarded-For: the peer spends one budget', async () => {
    const untrusting = await startCpApp(undefined, { env: { HJ_TRUST_PROXY: 'false' } });
    try {
      expect(await statusesFromDistinctAddresses(untrusting.app)).toContain(429);
    } finally {
      await untrusting.close();
    }
  });
});

/** One raw HTTP/1.1 exchange with `app` listening: exactly these bytes, all it answers. */
async function exchangeRaw(bytes: Buffer): Promise<string> {
  const { server, port } = await listen(app, 0, '127.0.0.1');
  try {
    return await new Promise((resolve, reject) => {
      let answer = '';
      const socket = connect(port, '127.0.0.1', () => socket.end(bytes));
      socket.setEncoding('latin1');
      socket.on('data', (chunk: string) => (answer += chunk));
      socket.on('close', () => {
        resolve(answer);
      });
      socket.on('error', reject);
    });
  } finally {
    await closeServer(server);
  }
}

/** @see issue 15: the OpenAPI fuzzer's "errors without a code": Node's parser refusals. */
describe('every error carries a catalogue code (issue 15, fuzzing: errors without a code)', () => {
  it.each([
    [
      'raw non-ASCII bytes in the path',
      Buffer.from('GET /v1/tenants/\xff HTTP/1.1\r\nHost: x\r\n\r\n', 'latin1'),
    ],
    ['a space in the path', Buffer.from('GET /v1/a b HTTP/1.1\r\nHost: x\r\n\r\n')],
    ['no HTTP at all', Buffer.from('hello\r\n\r\n')],
  ])('answers %s with 400 malformed_request', async (_name, bytes) => {
    const [head = '', body = ''] = (await exchangeRaw(bytes)).split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 400 /);
    expect(head).toMatch(/\r\nContent-Type: application\/problem\+json\r\n/i);
    expect(JSON.parse(body)).toMatchObject({
      type: 'https://hellojohn.dev/errors/malformed_request',
      status: 400,
      code: 'malformed_request',
    });
  });
});

/**
 * @see issue 15: the OpenAPI fuzzer's "text that is not well-formed": admin passwords and emails
 * with NUL or lone surrogates were accepted (UTF-8 turns every lone surrogate into U+FFFD, so two
 * such passwords hash as one), as were the audit-log filters.
 */
describe('well-formed text only (issue 15, fuzzing: lone surrogates and NUL)', () => {
  const fieldsOf = (res: request.Response): string[] =>
    ((res.body as { errors?: Array<{ path: string }> }).errors ?? []).map((e) => e.path);

  it('refuses admin passwords with lone surrogates: two such passwords can no longer collide', async () => {
    const email = 'surrogate-admin@example.com';
    const create = await request(app)
      .post('/v1/admins')
      .set('Authorization', `Bearer ${owner}`)
      .send({ email, password: 'abcdefghijkl\ud800', role: 'viewer' });
    expectProblem(create, 400);
    expect(create.body.code).toBe('validation_failed');
    expect(fieldsOf(create)).toEqual(['body.password']);
    const signIn = await request(app)
      .post('/v1/auth/sign-in')
      .set('X-Forwarded-For', '198.51.100.77')
      .send({ email, password: 'abcdefghijkl\udfff' });
    expectProblem(signIn, 400);
    expect(fieldsOf(signIn)).toEqual(['body.password']);
    // Nothing was created: the same email takes a well-formed password.
    await request(app)
      .post('/v1/admins')
      .set('Authorization', `Bearer ${owner}`)
      .send({ email, password: 'a well-formed admin password', role: 'viewer' })
      .expect(201);
  });

  it('refuses NUL in admin emails and in the audit-log filters', async () => {
    const create = await request(app)
      .post('/v1/admins')
      .set('Authorization', `Bearer ${owner}`)
      .send({ email: 'nul\u0000@example.com', password: 'a well-formed admin password' });
    expectProblem(create, 400);
    expect(fieldsOf(create)).toContain('body.email');
    for (const filter of ['actor', 'action', 'target']) {
      const res = await request(app)
        .get(`/v1/audit-log?${filter}=a%00b`)
        .set('Authorization', `Bearer ${owner}`);
      expectProblem(res, 400);
      expect(fieldsOf(res)).toEqual([`query.${filter}`]);
    }
  });
});
