import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, createMetrics, createServiceApp } from '@hellojohn/http';
import type { Express } from 'express';
import request from 'supertest';
import { serveConsole } from './serve-console';

const DP = 'http://dp.example.test:8080';

let apps = 0;

/** As the control plane mounts it: behind the shared security headers, before the error handler. */
function appOver(distDir: string): Express {
  apps += 1;
  return createServiceApp({
    logger: createLogger({ name: 'test', level: 'silent' }),
    metrics: createMetrics(`console_test_${apps}`),
    readiness: {},
    openapi: { title: 'T', version: '1' },
    apis: [],
    routers: [serveConsole({ dataPlaneUrl: `${DP}/`, distDir })],
  });
}

describe('serveConsole', () => {
  let dist: string;

  beforeAll(() => {
    dist = mkdtempSync(join(tmpdir(), 'hj-console-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>HelloJohn console</title>');
    writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  });
  afterAll(() => {
    rmSync(dist, { recursive: true, force: true });
  });

  it('serves index.html with a strict CSP and no-cache', async () => {
    const res = await request(appOver(dist)).get('/console/').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.headers['cache-control']).toBe('no-cache');
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain(`connect-src 'self' ${DP}`);
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('answers index.html for the app routes (SPA fallback)', async () => {
    const res = await request(appOver(dist)).get('/console/t/acme/users').expect(200);
    expect(res.text).toContain('HelloJohn console');
  });

  it('redirects /console to /console/', async () => {
    await request(appOver(dist)).get('/console').expect(301).expect('Location', '/console/');
  });

  it('caches hashed assets forever and 404s a missing one', async () => {
    const app = appOver(dist);
    const res = await request(app).get('/console/assets/index-abc123.js').expect(200);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const missing = await request(app).get('/console/assets/index-old.js').expect(404);
    expect(missing.body).toMatchObject({ code: 'route_not_found' });
  });

  it('serves unhashed public files revalidated', async () => {
    const res = await request(appOver(dist)).get('/console/favicon.svg').expect(200);
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('tells the console where the data plane is', async () => {
    const res = await request(appOver(dist)).get('/console/config.json').expect(200);
    expect(res.body).toEqual({ dataPlaneUrl: DP });
  });

  it('answers 503 when the console is not built', async () => {
    const res = await request(appOver(join(dist, 'nope')))
      .get('/console/')
      .expect(503);
    expect(res.body).toMatchObject({ code: 'service_unavailable' });
  });
});
