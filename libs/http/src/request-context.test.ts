import express from 'express';
import helmet from 'helmet';
import type { LevelWithSilent } from 'pino';
import request from 'supertest';
import { z } from 'zod';
import { createApiRouter } from './api-router';
import { createServiceApp } from './create-service-app';
import { endpoint } from './endpoint';
import { AppError } from './errors/app-error';
import { createLogger } from './logger';
import { createMetrics } from './metrics';

interface LogLine {
  level: number;
  msg?: string;
  req?: { id?: string; method?: string; url?: string };
  res?: { statusCode?: number; headers?: Record<string, unknown> };
  responseTime?: number;
  code?: string;
}

let metricsCount = 0;

function makeApp(level: LevelWithSilent = 'info') {
  const logs: LogLine[] = [];
  const logger = createLogger({
    name: 'request-context-test',
    level,
    destination: {
      write(line: string) {
        logs.push(JSON.parse(line) as LogLine);
      },
    },
  });
  const api = createApiRouter()
    .get(
      '/v1/ok',
      endpoint({ summary: 'OK', response: z.object({ ok: z.boolean() }) }, async function ok() {
        return { ok: true };
      }),
    )
    .get(
      '/v1/missing',
      endpoint({ summary: 'Missing', errors: ['tenant_not_found'] }, async function missing() {
        throw new AppError('tenant_not_found', 'No tenant.');
      }),
    )
    .get(
      '/v1/cookie',
      endpoint({ summary: 'Cookie' }, async function cookie(_input, _req, res) {
        res.setHeader('Set-Cookie', 'session=secret-value');
        res.status(204).end();
      }),
    );
  metricsCount += 1;
  const app = createServiceApp({
    logger,
    metrics: createMetrics(`request_context_test_${metricsCount}`),
    readiness: {},
    openapi: { title: 't', version: '1', description: 't', serverUrl: 'http://localhost' },
    apis: [api],
  });
  return { app, logs };
}

describe('request context (request id and access log)', () => {
  it('writes one structured access line per answer, with the request id', async () => {
    const { app, logs } = makeApp();
    const res = await request(app).get('/v1/ok').set('X-Request-Id', 'abc-123').expect(200);
    expect(res.headers['x-request-id']).toBe('abc-123');
    const access = logs.filter((line) => line.msg === 'request completed');
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({
      level: 30,
      req: { id: 'abc-123', method: 'GET', url: '/v1/ok' },
      res: { statusCode: 200 },
    });
    expect(typeof access[0]?.responseTime).toBe('number');
  });

  it('makes an id when the caller sends none or a malformed one', async () => {
    const { app, logs } = makeApp();
    const res = await request(app).get('/v1/ok').set('X-Request-Id', 'bad id!').expect(200);
    const id = res.headers['x-request-id'] as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(logs.find((line) => line.msg === 'request completed')?.req?.id).toBe(id);
  });

  it('binds the request to what handlers log through req.log (the error handler)', async () => {
    const { app, logs } = makeApp();
    const res = await request(app).get('/v1/missing').expect(404);
    const id = res.headers['x-request-id'] as string;
    const rejected = logs.find((line) => line.msg === 'request rejected');
    expect(rejected).toMatchObject({
      code: 'tenant_not_found',
      req: { id, method: 'GET', url: '/v1/missing' },
    });
    expect(logs.find((line) => line.msg === 'request completed')?.res?.statusCode).toBe(404);
  });

  it('redacts Set-Cookie in the access line', async () => {
    const { app, logs } = makeApp();
    await request(app).get('/v1/cookie').expect(204);
    const line = logs.find((entry) => entry.msg === 'request completed');
    expect(line?.res?.headers?.['set-cookie']).toBe('[redacted]');
    expect(JSON.stringify(logs)).not.toContain('secret-value');
  });

  it('leaves health probes out of the access log', async () => {
    const { app, logs } = makeApp();
    await request(app).get('/healthz').expect(200);
    expect(logs.filter((line) => line.msg === 'request completed')).toEqual([]);
  });

  it('logs nothing at level silent and still answers with a request id', async () => {
    const { app, logs } = makeApp('silent');
    const res = await request(app).get('/v1/missing').expect(404);
    expect(res.headers['x-request-id']).toBeDefined();
    expect(logs).toEqual([]);
  });
});

describe('security headers', () => {
  it('are exactly helmet’s (CSP and HSTS aside) plus ours, on every answer', async () => {
    const reference = express();
    reference.use(helmet({ contentSecurityPolicy: false, strictTransportSecurity: false }));
    reference.get('/v1/ok', (_req, res) => {
      res.json({ ok: true });
    });
    const expected = (await request(reference).get('/v1/ok')).headers;
    const { app } = makeApp();
    for (const path of ['/v1/ok', '/v1/missing', '/nowhere']) {
      const { headers } = await request(app).get(path);
      for (const name of [
        'cross-origin-opener-policy',
        'cross-origin-resource-policy',
        'origin-agent-cluster',
        'referrer-policy',
        'x-content-type-options',
        'x-dns-prefetch-control',
        'x-download-options',
        'x-frame-options',
        'x-permitted-cross-domain-policies',
        'x-xss-protection',
      ]) {
        expect([path, name, headers[name]]).toEqual([path, name, expected[name]]);
      }
      expect(headers['x-powered-by']).toBeUndefined();
      expect(headers['cache-control']).toBe('no-store');
      expect(headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(headers['strict-transport-security']).toBeUndefined();
    }
  });

  it('sends HSTS only over HTTPS as a trusted proxy reports it', async () => {
    const { app } = makeApp();
    const viaProxy = await request(app).get('/v1/ok').set('X-Forwarded-Proto', 'https');
    expect(viaProxy.headers['strict-transport-security']).toBe(
      'max-age=31536000; includeSubDomains',
    );
    const plain = await request(app).get('/v1/ok').set('X-Forwarded-Proto', 'http');
    expect(plain.headers['strict-transport-security']).toBeUndefined();
  });
});
