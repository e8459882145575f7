import request from 'supertest';
import { z } from 'zod';
import { createApiRouter } from './api-router';
import { createServiceApp } from './create-service-app';
import { endpoint } from './endpoint';
import { AppError } from './errors/app-error';
import { OAuthError } from './errors/oauth-error';
import { createLogger } from './logger';
import { createMetrics } from './metrics';

const Thing = z.strictObject({ name: z.string().min(1), size: z.number().int().optional() });

function makeApp(readyOk = true) {
  const api = createApiRouter();
  api.post(
    '/v1/things/:id',
    endpoint(
      {
        summary: 'Create a thing',
        params: z.strictObject({ id: z.uuid() }),
        body: Thing,
        response: z.object({ id: z.string(), name: z.string() }),
        status: 201,
      },
      async function createThing({ params, body }) {
        // The extra field must be stripped by the response schema.
        return { id: params.id, name: body.name, secret_hash: 'must-not-leak' };
      },
    ),
  );
  api.get(
    '/v1/boom',
    endpoint({ summary: 'Fails' }, async function boom() {
      throw new Error('database password is hunter2');
    }),
  );
  api.get(
    '/v1/missing',
    endpoint({ summary: 'Not found', errors: ['tenant_not_found'] }, async function missing() {
      throw new AppError('tenant_not_found', 'No tenant "acme".');
    }),
  );
  api.post(
    '/oauth2/token',
    endpoint(
      { summary: 'Token', accepts: 'form', body: z.object({ grant_type: z.string() }) },
      async function token() {
        throw new OAuthError('unsupported_grant_type', 'nope');
      },
    ),
  );
  api.get(
    '/internal/v1/x',
    endpoint({ summary: 'Internal', internal: true }, async function internalX() {
      /* nothing */
    }),
  );
  return createServiceApp({
    logger: createLogger({ name: 'test', level: 'silent' }),
    metrics: createMetrics('test'),
    readiness: {
      database: async () => {
        if (!readyOk) throw new Error('connection refused');
      },
    },
    openapi: { title: 'Test', version: '1' },
    apis: [api],
    bodyLimit: '1kb',
  });
}

const id = '3f1c7f0e-2b1a-4c59-9a7e-2f0c1d3e4b5a';

describe('createServiceApp', () => {
  it('validates input and names the field at fault', async () => {
    const res = await request(makeApp()).post(`/v1/things/${id}`).send({ name: '', extra: 1 });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe('validation_failed');
    const paths = (res.body.errors as Array<{ path: string }>).map((e) => e.path).sort();
    expect(paths).toEqual(['body.extra', 'body.name']);
  });

  it('validates path parameters', async () => {
    const res = await request(makeApp()).post('/v1/things/not-a-uuid').send({ name: 'a' });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('params.id');
  });

  it('strips fields the response schema does not declare', async () => {
    const res = await request(makeApp()).post(`/v1/things/${id}`).send({ name: 'box' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id, name: 'box' });
  });

  it('answers 415 for a non-JSON body and 400 for broken JSON', async () => {
    const app = makeApp();
    const text = await request(app)
      .post(`/v1/things/${id}`)
      .set('Content-Type', 'text/plain')
      .send('hi');
    expect(text.status).toBe(415);
    expect(text.body.code).toBe('unsupported_media_type');
    const form = await request(app).post(`/v1/things/${id}`).type('form').send('name=x');
    expect(form.status).toBe(415);
    const broken = await request(app)
      .post(`/v1/things/${id}`)
      .set('Content-Type', 'application/json')
      .send('{"name":');
    expect(broken.status).toBe(400);
    expect(broken.body.code).toBe('malformed_json');
  });

  it('answers 413 for an oversized body', async () => {
    const res = await request(makeApp())
      .post(`/v1/things/${id}`)
      .send({ name: 'x'.repeat(5000) });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('payload_too_large');
  });

  it('hides internal failures: 500 with no detail and no stack', async () => {
    const res = await request(makeApp()).get('/v1/boom');
    expect(res.status).toBe(500);
    expect(res.body.code).toBe('unexpected_failure');
    expect(JSON.stringify(res.body)).not.toMatch(/hunter2|at |Error/);
  });

  it('maps AppError to problem+json with the request id', async () => {
    const res = await request(makeApp()).get('/v1/missing').set('X-Request-Id', 'req-123');
    expect(res.status).toBe(404);
    expect(res.headers['x-request-id']).toBe('req-123');
    expect(res.body).toMatchObject({
      code: 'tenant_not_found',
      status: 404,
      detail: 'No tenant "acme".',
      instance: 'urn:request:req-123',
    });
  });

  it('answers OAuth errors in RFC 6749 shape', async () => {
    const res = await request(makeApp()).post('/oauth2/token').type('form').send('grant_type=x');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'unsupported_grant_type', error_description: 'nope' });
  });

  /** @see issue 3: nothing answers 500 for input a client can send. */
  it('answers 400, not 500, for a malformed percent-encoding in a path parameter', async () => {
    const res = await request(makeApp()).post('/v1/things/%ff').send({ name: 'a' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('malformed_path');
  });

  it('answers 404 route_not_found for unknown routes', async () => {
    const res = await request(makeApp()).get('/nope');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('route_not_found');
  });

  it('serves health, readiness and metrics', async () => {
    expect((await request(makeApp()).get('/healthz')).body).toEqual({ status: 'ok' });
    const ready = await request(makeApp()).get('/readyz');
    expect(ready.status).toBe(200);
    const down = await request(makeApp(false)).get('/readyz');
    expect(down.status).toBe(503);
    expect(down.body.checks.database).toEqual({ status: 'down', error: 'connection refused' });
    const app = makeApp();
    await request(app).get('/v1/missing');
    const metrics = await request(app).get('/metrics');
    expect(metrics.text).toMatch(
      /http_requests_total\{[^}]*route="\/v1\/missing"[^}]*status="404"/,
    );
  });

  it('publishes public routes in OpenAPI and hides internal ones', async () => {
    const res = await request(makeApp()).get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const op = res.body.paths['/v1/things/{id}'].post;
    expect(op.requestBody.content['application/json'].schema.properties.name).toBeDefined();
    expect(op.responses['201']).toBeDefined();
    expect(op.responses['400']).toBeDefined();
    expect(res.body.paths['/internal/v1/x']).toBeUndefined();
    const docs = await request(makeApp()).get('/docs/');
    expect(docs.status).toBe(200);
    expect(docs.text).toMatch(/swagger/i);
  });
});
