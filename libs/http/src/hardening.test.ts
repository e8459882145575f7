import type { AddressInfo } from 'node:net';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { expectProblem, requestRaw, sendBytes } from '@hellojohn/testing';
import { Router, type Express, type RequestHandler } from 'express';
import request from 'supertest';
import { z } from 'zod';
import { createApiRouter } from './api-router';
import { createServiceApp, type ServiceAppOptions } from './create-service-app';
import { endpoint } from './endpoint';
import { AppError } from './errors/app-error';
import { closeServer, listen } from './listen';
import { createLogger } from './logger';
import { createMetrics } from './metrics';

/**
 * Regression tests for the black-box probe's findings on the shared HTTP conventions.
 *
 * @see issue 15
 */

interface LogLine {
  level: number;
  msg?: string;
}

const Thing = z.strictObject({ name: z.string().min(1) });
const Ok = z.object({ ok: z.boolean() });

/** Stands in for the data plane's resolveTenant: only `acme` exists. */
const knownTenant: RequestHandler = function knownTenant(req, _res, next) {
  next(req.params.tenant === 'acme' ? undefined : new AppError('tenant_not_found'));
};

function makeApp(options: Partial<ServiceAppOptions> = {}): { app: Express; logs: LogLine[] } {
  const logs: LogLine[] = [];
  const logger = createLogger({
    name: 'hardening',
    level: 'info',
    destination: {
      write(line: string) {
        logs.push(JSON.parse(line) as LogLine);
      },
    },
  });
  const api = createApiRouter({ mergeParams: true })
    .post(
      '/v1/things',
      endpoint(
        { summary: 'Create', body: Thing, response: Thing, status: 201 },
        async function create({ body }) {
          return body;
        },
      ),
    )
    .patch(
      '/v1/things/:id',
      endpoint(
        { summary: 'Update', params: z.object({ id: z.string() }), body: Thing, response: Thing },
        async function update({ body }) {
          return body;
        },
      ),
    )
    .delete(
      '/v1/things',
      endpoint(
        { summary: 'Delete by name', body: Thing, status: 204 },
        async function removeByName() {
          /* gone */
        },
      ),
    )
    .delete(
      '/v1/things/:id',
      endpoint(
        { summary: 'Delete', params: z.object({ id: z.string() }), status: 204 },
        async function remove() {
          /* gone */
        },
      ),
    )
    .get(
      '/v1/things',
      endpoint(
        {
          summary: 'List',
          // Not strict on purpose: the endpoint makes every query strict.
          query: z.object({ limit: z.coerce.number().int().optional() }),
          response: Ok,
        },
        async function list() {
          return { ok: true };
        },
      ),
    )
    .get(
      '/v1/ping',
      endpoint({ summary: 'Ping', response: Ok }, async function ping() {
        return { ok: true };
      }),
    )
    .get(
      '/v1/ip',
      endpoint(
        { summary: 'Echo the client address', response: z.object({ ip: z.string() }) },
        async function ip(_input, req) {
          return { ip: req.ip ?? '' };
        },
      ),
    )
    .get(
      '/v1/cached',
      endpoint({ summary: 'Cacheable', response: Ok }, async function cached(_input, _req, res) {
        res.setHeader('Cache-Control', 'public, max-age=300');
        return { ok: true };
      }),
    )
    .get(
      '/oauth2/authorize',
      endpoint(
        {
          summary: 'Authorize',
          query: z.object({ client_id: z.string() }),
          response: Ok,
          errorFormat: 'oauth',
        },
        async function authorize() {
          return { ok: true };
        },
      ),
    );
  const scoped = Router({ mergeParams: true });
  scoped.use('/t/:tenant', knownTenant, api.router);
  scoped.use(api.router);
  const app = createServiceApp({
    logger,
    metrics: createMetrics('hardening'),
    readiness: {},
    openapi: { title: 'Test', version: '1', serverUrl: 'https://api.example.com' },
    apis: [],
    documented: [api],
    routers: [scoped],
    ...options,
  });
  return { app, logs };
}

/** Nothing a client sends may be logged above info (pino: 30). */
function expectNothingAboveInfo(logs: LogLine[]): void {
  expect(logs.filter((line) => line.level > 30)).toEqual([]);
}

describe('/metrics (issue 15, item 2)', () => {
  it('labels requests by route pattern, never by the raw path or tenant slug', async () => {
    const { app } = makeApp();
    await request(app).get('/t/acme/v1/ping').expect(200);
    await request(app).get('/t/%61cme/v1/ping').expect(200);
    await request(app).get('/t/ACME/v1/ping').expect(404);
    await request(app).get('/t/secret-tenant-42/v1/ping').expect(404);
    await request(app).get('/t/acme/v1/nothing-here').expect(404);
    await request(app).get('/no/such/path').expect(404);
    // Errors after the route matched keep the pattern too.
    await request(app).get('/t/acme/v1/things?bogus=1').expect(400);
    const metrics = await request(app).get('/metrics').expect(200);
    const routes = new Set(
      [...metrics.text.matchAll(/http_requests_total\{[^}]*route="([^"]*)"/g)].map((m) => m[1]),
    );
    expect([...routes].sort()).toEqual(['/t/:tenant/v1/ping', '/t/:tenant/v1/things', 'unmatched']);
    expect(metrics.text).not.toMatch(/acme|ACME|%61cme|secret-tenant-42|nothing-here|no\/such/);
  });

  it('asks for HJ_METRICS_TOKEN as a bearer token when one is set', async () => {
    const token = 'metrics-token-0123456789abcdef0123';
    const { app } = makeApp({ metricsToken: token });
    const none = await request(app).get('/metrics');
    expectProblem(none, 401, 'unauthenticated');
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    expectProblem(
      await request(app).get('/metrics').set('Authorization', `Bearer ${token}x`),
      401,
      'invalid_token',
    );
    const ok = await request(app).get('/metrics').set('Authorization', `Bearer ${token}`);
    expect(ok.status).toBe(200);
    expect(ok.text).toMatch(/http_requests_total/);
  });

  it('stays open without a token (the embedded default)', async () => {
    await request(makeApp().app).get('/metrics').expect(200);
  });
});

describe('Content-Encoding (issue 15, item 3)', () => {
  const json = JSON.stringify({ name: 'box' });
  const cases: Array<[string, string, Buffer | string, number, string]> = [
    ['gzip header over a plain body', 'gzip', json, 400, 'validation_failed'],
    ['garbage deflate', 'deflate', Buffer.from('not deflate at all'), 400, 'validation_failed'],
    ['garbage br', 'br', Buffer.from('\u00ff\u00fe not brotli'), 400, 'validation_failed'],
    ['an unknown encoding', 'x-unknown', json, 415, 'unsupported_media_type'],
    ['compress (not supported)', 'compress', json, 415, 'unsupported_media_type'],
  ];
  const routes: Array<[string, string]> = [
    ['POST', '/v1/things'],
    ['PATCH', '/v1/things/1'],
    ['DELETE', '/v1/things'],
    ['POST', '/t/acme/v1/things'],
  ];

  it.each(cases)(
    'answers %s with a problem, logged at info at most',
    async (_, encoding, body, status, code) => {
      const { app, logs } = makeApp();
      for (const [method, path] of routes) {
        const res = await sendBytes(
          app,
          method,
          path,
          { 'Content-Type': 'application/json', 'Content-Encoding': encoding },
          body,
        );
        expectProblem(res, status, code);
        expect(res.body.detail).toMatch(new RegExp(encoding));
      }
      // A route without a body never decodes one: whatever it is, it is refused as a body.
      const bodyless = await sendBytes(
        app,
        'DELETE',
        '/v1/things/1',
        { 'Content-Type': 'application/json', 'Content-Encoding': encoding },
        body,
      );
      expectProblem(bodyless, 400, 'validation_failed');
      expect(bodyless.body.errors).toEqual([{ path: 'body', message: expect.any(String) }]);
      expectNothingAboveInfo(logs);
    },
  );

  it('still reads a well-formed gzip or br body', async () => {
    const { app } = makeApp();
    for (const [encoding, body] of [
      ['gzip', gzipSync(json)],
      ['br', brotliCompressSync(json)],
    ] as const) {
      const res = await sendBytes(
        app,
        'POST',
        '/v1/things',
        { 'Content-Type': 'application/json', 'Content-Encoding': encoding },
        body,
      );
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ name: 'box' });
    }
  });
});

describe('strict input (issue 15, item 7)', () => {
  it('answers 400 to a body on a route that takes none', async () => {
    const { app } = makeApp();
    const res = await request(app).delete('/v1/things/1').send({ name: 'box' });
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors).toEqual([{ path: 'body', message: expect.stringMatching(/no/) }]);
    // Any media type: 400, not 415 (the route reads no body at all).
    const text = await request(app).get('/v1/ping').set('Content-Type', 'text/plain').send('hi');
    expectProblem(text, 400, 'validation_failed');
    // Nor does an unknown path: 404, whatever was sent.
    const unknown = await request(app).post('/v1/nope').set('Content-Type', 'text/plain').send('x');
    expectProblem(unknown, 404, 'route_not_found');
    // An empty body is no body.
    await request(app).delete('/v1/things/1').set('Content-Length', '0').expect(204);
  });

  it('takes an empty JSON body for no body: a required one is missing, not `{}`', async () => {
    // body-parser reads an empty JSON body as {}; a required body could then be left out
    // (found by the OpenAPI fuzzer, seed 1: PATCH with Content-Type: application/json only).
    const { app } = makeApp();
    for (const [encoding, body] of [
      ['identity', ''],
      ['gzip', gzipSync('')],
    ] as const) {
      const res = await sendBytes(
        app,
        'POST',
        '/v1/things',
        { 'Content-Type': 'application/json', 'Content-Encoding': encoding },
        body,
      );
      expectProblem(res, 400, 'validation_failed');
      expect(res.body.errors).toEqual([{ path: 'body', message: expect.any(String) }]);
    }
    await request(app).post('/v1/things').send({ name: 'box' }).expect(201);
  });

  it('answers 400 naming an unknown query parameter, with or without a query schema', async () => {
    const { app } = makeApp();
    const none = await request(app).get('/v1/ping?debug=1');
    expectProblem(none, 400, 'validation_failed');
    expect(none.body.errors).toEqual([{ path: 'query.debug', message: expect.any(String) }]);
    const loose = await request(app).get('/v1/things?limit=5&sort=name');
    expectProblem(loose, 400, 'validation_failed');
    expect(loose.body.errors).toEqual([{ path: 'query.sort', message: expect.any(String) }]);
    await request(app).get('/v1/things?limit=5').expect(200);
  });

  it('ignores unknown parameters on OAuth routes, as RFC 6749 §3.1 requires', async () => {
    const { app } = makeApp();
    await request(app).get('/oauth2/authorize?client_id=a&state=xyz').expect(200);
  });
});

describe('response headers (issue 15, item 7)', () => {
  it('gives /docs a Content-Security-Policy Swagger UI works with', async () => {
    const { app } = makeApp();
    const page = await request(app).get('/docs/').expect(200);
    const csp = String(page.headers['content-security-policy']);
    const directives = new Map(
      csp.split(';').map((part) => {
        const [name = '', ...values] = part.trim().split(/\s+/);
        return [name, values];
      }),
    );
    expect(directives.get('default-src')).toEqual(["'none'"]);
    // Swagger UI's scripts are its own files: no inline script, no eval.
    expect(directives.get('script-src')).toEqual(["'self'"]);
    const scripts = [...page.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes = '', content = ''] of scripts) {
      expect(attributes).toMatch(/src=["']\.\//);
      expect(content.trim()).toBe('');
    }
    // Its stylesheet has inline styles and data: images; "Try it out" calls the API's origin.
    expect(directives.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(directives.get('img-src')).toEqual(["'self'", 'data:']);
    expect(directives.get('connect-src')).toEqual(["'self'", 'https://api.example.com']);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    await request(app).get('/docs/swagger-ui-init.js').expect(200);
  });

  it('answers JSON with Cache-Control: no-store unless the route set its own', async () => {
    const { app } = makeApp();
    for (const res of [
      await request(app).get('/v1/ping'),
      await request(app).get('/v1/ping?x=1'),
      await request(app).get('/nope'),
      await request(app).get('/healthz'),
      await request(app).get('/metrics'),
    ]) {
      expect(res.headers['cache-control']).toBe('no-store');
    }
    const cached = await request(app).get('/v1/cached').expect(200);
    expect(cached.headers['cache-control']).toBe('public, max-age=300');
  });

  it('sends Strict-Transport-Security only over HTTPS', async () => {
    const plain = await request(makeApp().app).get('/v1/ping').expect(200);
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    const proxied = await request(makeApp().app)
      .get('/v1/ping')
      .set('X-Forwarded-Proto', 'https')
      .expect(200);
    expect(proxied.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
    const untrusted = await request(makeApp({ trustProxy: false }).app)
      .get('/v1/ping')
      .set('X-Forwarded-Proto', 'https')
      .expect(200);
    expect(untrusted.headers['strict-transport-security']).toBeUndefined();
  });
});

describe('trusted proxies (issue 15, item 7)', () => {
  async function ipOf(trustProxy: ServiceAppOptions['trustProxy']): Promise<string> {
    const res = await request(makeApp({ trustProxy }).app)
      .get('/v1/ip')
      .set('X-Forwarded-For', '203.0.113.7, 10.0.0.2')
      .expect(200);
    return (res.body as { ip: string }).ip;
  }

  it('trusts X-Forwarded-For only from the configured proxies', async () => {
    // Default `loopback`: supertest's loopback peer is a proxy; 10.0.0.2 is not (private).
    expect(await ipOf(undefined)).toBe('10.0.0.2');
    expect(await ipOf(false)).toMatch(/127\.0\.0\.1$/);
    expect(await ipOf(['10.0.0.0/8'])).toMatch(/127\.0\.0\.1$/);
    expect(await ipOf(['loopback', '10.0.0.0/8'])).toBe('203.0.113.7');
    expect(await ipOf(1)).toBe('10.0.0.2');
    expect(await ipOf(2)).toBe('203.0.113.7');
  });
});

describe('oversized headers (issue 15, item 7)', () => {
  it('answers 431 as problem+json and closes the connection', async () => {
    const { app } = makeApp();
    const { server, port } = await listen(app, 0, '127.0.0.1');
    try {
      const res = await requestRaw(port, {
        path: '/v1/ping',
        headers: { 'X-Big': 'a'.repeat(20_000) },
      });
      expect(res.status).toBe(431);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      // @see issue 15: every error body carries a catalogue code, the parser's too.
      expect(JSON.parse(res.text)).toEqual({
        type: 'https://hellojohn.dev/errors/headers_too_large',
        title: 'The request line and headers are too large',
        status: 431,
        code: 'headers_too_large',
        detail: 'The request line and headers exceed 16384 bytes.',
      });
      expect((server.address() as AddressInfo).port).toBe(port);
    } finally {
      await closeServer(server);
    }
  });
});
