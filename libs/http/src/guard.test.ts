import { Router, type ErrorRequestHandler, type RequestHandler } from 'express';
import request from 'supertest';
import { z } from 'zod';
import { createApiRouter, type ApiRouter } from './api-router';
import { createServiceApp } from './create-service-app';
import { endpoint } from './endpoint';
import { AppError } from './errors/app-error';
import { OAuthError } from './errors/oauth-error';
import { guard } from './guard';
import { createLogger } from './logger';
import { createMetrics } from './metrics';
import { buildOpenApiDocument } from './openapi';

/**
 * @see issue 15: guards and middleware answered error statuses their routes did not document
 * (a guard's 401, a limiter's 429, a router-level tenant lookup's 404). A guard now declares its
 * codes and authentication, and the route table documents every guard in a route's chain.
 */

interface Operation {
  responses: Record<string, { description: string; content?: Record<string, unknown> }>;
  security: unknown[];
}

function operations(api: ApiRouter): Record<string, Operation> {
  const doc = buildOpenApiDocument({ title: 'T', version: '1' }, api.routes) as {
    paths: Record<string, Record<string, Operation>>;
  };
  const byKey: Record<string, Operation> = {};
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      byKey[`${method.toUpperCase()} ${path}`] = operation;
    }
  }
  return byKey;
}

const statuses = (operation: Operation | undefined): string[] =>
  Object.keys(operation?.responses ?? {}).sort();

const requireToken = guard(
  { errors: ['unauthenticated', 'invalid_token'], auth: 'bearer' },
  function requireToken(req, _res, next) {
    next(req.headers.authorization ? undefined : new AppError('unauthenticated'));
  },
);
const optionalToken = guard(
  { errors: ['invalid_token'], auth: 'optional-bearer' },
  function optionalToken(_req, _res, next) {
    next();
  },
);
const limit = guard({ errors: ['rate_limited', 'service_unavailable'] }, function limit(_r, _s, n) {
  n();
});
const resolveTenant = guard(
  { errors: ['tenant_not_found', 'tenant_mismatch'] },
  function resolveTenant(req, _res, next) {
    next(req.params.tenant === 'acme' ? undefined : new AppError('tenant_not_found'));
  },
);
const mapRangeError: ErrorRequestHandler = function databaseDown(error: unknown, _req, _res, next) {
  next(error instanceof RangeError ? new AppError('tenant_unavailable') : error);
};
const databaseDown = guard({ errors: ['tenant_unavailable'] }, mapRangeError);

const ok = (summary: string, errors: Array<'email_taken' | 'user_not_found'> = []) =>
  endpoint({ summary, status: 204, errors }, async function ok() {
    return undefined;
  });

describe('guard errors in the OpenAPI document', () => {
  it("documents every guard's codes on the routes it stands before, and only there", () => {
    const api = createApiRouter()
      .get('/open', ok('Open'))
      .get('/me', requireToken, ok('Me', ['user_not_found']))
      .post('/sign-up', limit, ok('Sign up', ['email_taken']));
    const ops = operations(api);
    expect(statuses(ops['GET /open'])).toEqual(['204', '400']);
    expect(statuses(ops['GET /me'])).toEqual(['204', '400', '401', '404']);
    expect(statuses(ops['POST /sign-up'])).toEqual(['204', '400', '409', '429', '503']);
    // Guards run first, so their codes lead; one status lists every code that answers it.
    expect(ops['GET /me']?.responses['401']?.description).toBe(
      'Authentication is required (unauthenticated); invalid_token',
    );
    expect(ops['POST /sign-up']?.responses['503']?.content).toHaveProperty(
      'application/problem+json',
    );
  });

  it('documents the guards a router is mounted behind on each of its routes', () => {
    const api = createApiRouter({
      mergeParams: true,
      mountedBehind: [resolveTenant, databaseDown],
    })
      .get('/v1/me', requireToken, ok('Me'))
      .post('/v1/sign-up', limit, ok('Sign up'));
    const ops = operations(api);
    expect(statuses(ops['GET /v1/me'])).toEqual(['204', '400', '401', '404', '503']);
    expect(ops['GET /v1/me']?.responses['400']?.description).toBe(
      'The path and X-Tenant-ID name different tenants (tenant_mismatch); validation_failed',
    );
    expect(ops['POST /v1/sign-up']?.responses['503']?.description).toBe(
      "The tenant's database is unavailable (tenant_unavailable); service_unavailable",
    );
    expect(api.routes.map((route) => route.guards.length)).toEqual([3, 3]);
  });

  it('answers what it documents: the mounted guards run where the service mounts them', async () => {
    const api = createApiRouter({ mergeParams: true, mountedBehind: [resolveTenant, databaseDown] })
      .get('/v1/me', requireToken, ok('Me'))
      .get(
        '/v1/down',
        endpoint({ summary: 'Down', status: 204 }, async function down() {
          throw new RangeError('connection refused');
        }),
      );
    // As the data plane mounts its table: the tenant guard before it, the error guard after.
    const scoped = Router({ mergeParams: true });
    scoped.use('/t/:tenant', resolveTenant, api.router);
    scoped.use(databaseDown);
    const app = createServiceApp({
      logger: createLogger({ name: 'test', level: 'silent' }),
      metrics: createMetrics('guard_test'),
      readiness: {},
      openapi: { title: 'T', version: '1' },
      apis: [],
      documented: [api],
      routers: [scoped],
    });
    const documented = operations(api);
    const seen: number[] = [];
    for (const [path, auth] of [
      ['/t/nope/v1/me', 'Bearer x'],
      ['/t/acme/v1/me', undefined],
      ['/t/acme/v1/me', 'Bearer x'],
      ['/t/acme/v1/down', undefined],
    ] as const) {
      const res = await request(app)
        .get(path)
        .set(auth ? { Authorization: auth } : {});
      seen.push(res.status);
      const operation = documented[`GET ${path.replace(/^\/t\/[^/]+/, '')}`];
      expect({ path, status: res.status, documented: statuses(operation) }).toEqual({
        path,
        status: res.status,
        documented: expect.arrayContaining([String(res.status)]),
      });
    }
    expect(seen).toEqual([404, 401, 204, 503]);
  });

  it('maps guard codes to RFC 6749 errors on OAuth routes, with their own OAuth codes', () => {
    const authenticateClient = guard(
      { errors: ['service_unavailable'], oauthErrors: ['invalid_client'] },
      function authenticateClient(_req, _res, next) {
        next(new OAuthError('invalid_client', 'Client authentication failed.'));
      },
    );
    const token = endpoint(
      {
        summary: 'Token',
        accepts: 'form',
        body: z.object({ grant_type: z.string() }),
        response: z.object({ access_token: z.string() }),
        errorFormat: 'oauth',
      },
      async function token() {
        return { access_token: 'x' };
      },
    );
    const ops = operations(
      createApiRouter().post('/oauth2/token', limit, authenticateClient, token),
    );
    const responses = ops['POST /oauth2/token']?.responses ?? {};
    expect(Object.keys(responses).sort()).toEqual([
      '200',
      '400',
      '401',
      '413',
      '415',
      '429',
      '503',
    ]);
    expect(responses['401']?.description).toBe('invalid_client');
    expect(responses['429']?.description).toBe('temporarily_unavailable');
  });
});

describe('security from guards', () => {
  it('is a bearer token behind a guard that requires one, optional behind one that checks it if sent', () => {
    const ops = operations(
      createApiRouter()
        .get('/open', limit, ok('Open'))
        .get('/me', requireToken, ok('Me'))
        .post('/sign-out', optionalToken, ok('Sign out'))
        .post('/both', optionalToken, requireToken, ok('Both')),
    );
    expect(ops['GET /open']?.security).toEqual([]);
    expect(ops['GET /me']?.security).toEqual([{ bearer: [] }]);
    expect(ops['POST /sign-out']?.security).toEqual([{ bearer: [] }, {}]);
    expect(ops['POST /both']?.security).toEqual([{ bearer: [] }]);
  });
});

describe('createApiRouter', () => {
  it('refuses, at start-up, a middleware that does not declare its errors', () => {
    const plain: RequestHandler = function plainMiddleware(_req, _res, next) {
      next();
    };
    const api = createApiRouter();
    // @ts-expect-error -- only guards may stand before an endpoint
    expect(() => api.get('/x', plain, ok('X'))).toThrow(
      'GET /x: middleware "plainMiddleware" does not declare its errors',
    );
    // @ts-expect-error -- the last handler must be an endpoint
    expect(() => api.get('/y', requireToken)).toThrow('the last handler must be an endpoint()');
    expect(() => createApiRouter({ mountedBehind: [plain as never] })).toThrow(/guards only/);
    expect(api.routes).toEqual([]);
  });

  it('keeps a guard what it was: same name, and error middleware keeps its four parameters', () => {
    expect(requireToken.name).toBe('requireToken');
    expect(requireToken.length).toBe(3);
    expect(databaseDown.length).toBe(4);
    expect(Object.isFrozen(databaseDown.guardSpec.errors)).toBe(true);
  });
});
