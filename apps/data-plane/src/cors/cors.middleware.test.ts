import { AppError, createLogger, createMetrics, createServiceApp } from '@hellojohn/http';
import { Router } from 'express';
import request from 'supertest';
import type { TenantConfig } from '../tenancy/tenant-config';
import type { TenantDirectory } from '../tenancy/tenant-directory';
import { corsMiddleware } from './cors.middleware';
import type { TenantOrigins } from './tenant-origins';

const ORIGIN = 'https://app.example.com';

/** A directory that knows one active tenant, `acme`, or fails like an unreachable control plane. */
function directory(state: { down: boolean }): TenantDirectory {
  return {
    async resolve(ref) {
      if (state.down)
        throw new AppError('service_unavailable', 'Tenant configuration is unavailable.');
      return ref === 'acme' ? ({ id: 'id-acme', status: 'active' } as TenantConfig) : undefined;
    },
    invalidate: () => undefined,
    clear: () => undefined,
    status: () => ({ reachable: !state.down, lastSuccessAt: undefined, lastError: undefined }),
  };
}

function origins(state: { down: boolean }): TenantOrigins & { lookups: number } {
  const fake = {
    lookups: 0,
    async allows(tenantId: string, origin: string) {
      fake.lookups++;
      if (state.down)
        throw new AppError('service_unavailable', 'Client configuration is unavailable.');
      return tenantId === 'id-acme' && origin === ORIGIN;
    },
    invalidateTenant: () => undefined,
    clear: () => undefined,
  };
  return fake;
}

function appWith(state: { directoryDown: boolean; originsDown: boolean }) {
  const tenantOrigins = origins({
    get down() {
      return state.originsDown;
    },
  });
  const router = Router();
  router.use(
    corsMiddleware({
      directory: directory({
        get down() {
          return state.directoryDown;
        },
      }),
      origins: tenantOrigins,
    }),
  );
  router.get('/t/:tenant/.well-known/jwks.json', function jwks(_req, res) {
    res.json({ keys: [] });
  });
  // Mounted as the data plane mounts it, so errors are answered by the one error handler.
  const app = createServiceApp({
    logger: createLogger({ name: 'cors-test', level: 'silent' }),
    metrics: createMetrics('cors_test'),
    readiness: {},
    openapi: { title: 'cors test', version: '1', serverUrl: 'http://localhost' },
    apis: [],
    routers: [router],
  });
  return { app, tenantOrigins };
}

describe('the CORS middleware', () => {
  it('answers an allowed origin, and costs no lookup without an Origin header', async () => {
    const { app, tenantOrigins } = appWith({ directoryDown: false, originsDown: false });
    const plain = await request(app).get('/t/acme/.well-known/jwks.json').expect(200);
    expect(plain.headers['access-control-allow-origin']).toBeUndefined();
    expect(plain.headers.vary).toBe('Origin');
    expect(tenantOrigins.lookups).toBe(0);
    const cors = await request(app)
      .get('/t/acme/.well-known/jwks.json')
      .set('Origin', ORIGIN)
      .expect(200);
    expect(cors.headers['access-control-allow-origin']).toBe(ORIGIN);
  });

  it.each([
    ['the tenant directory', { directoryDown: true, originsDown: false }],
    ['the client list', { directoryDown: false, originsDown: true }],
  ])('fails closed when %s cannot be read: no CORS headers, never a 500', async (_name, state) => {
    const { app } = appWith(state);
    const actual = await request(app)
      .get('/t/acme/.well-known/jwks.json')
      .set('Origin', ORIGIN)
      .expect(200);
    expect(actual.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await request(app)
      .options('/t/acme/.well-known/jwks.json')
      .set('Origin', ORIGIN)
      .set('Access-Control-Request-Method', 'GET')
      .expect(503);
    expect(preflight.headers['retry-after']).toBe('5');
    expect(Object.keys(preflight.headers).filter((h) => h.startsWith('access-control-'))).toEqual(
      [],
    );
  });
});
