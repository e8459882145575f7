import request from 'supertest';
import { z } from 'zod';
import { serve } from '../test/serve';
import { createApiRouter } from './api-router';
import { endpoint } from './endpoint';
import { AppError } from './errors/app-error';
import { OAuthError } from './errors/oauth-error';
import { guard } from './guard';

const TokenRequest = z.object({
  grant_type: z.enum(['authorization_code', 'refresh_token']),
  code: z.string().min(1).optional(),
  scope: z.string().optional(),
});
const TokenResponse = z.object({ access_token: z.string(), token_type: z.literal('Bearer') });

/** A guard reading the form body, as client authentication (client_secret_post) will. */
const seenByGuard: unknown[] = [];
const recordBody = guard({ errors: [] }, function recordBody(req, _res, next) {
  seenByGuard.push(req.body);
  next();
});
const rateLimited = guard({ errors: ['rate_limited'] }, function rateLimited(_req, _res, next) {
  next(new AppError('rate_limited', 'Slow down.', { headers: { 'Retry-After': '30' } }));
});

function makeApp() {
  const token = endpoint(
    {
      summary: 'Token',
      accepts: 'form',
      body: TokenRequest,
      response: TokenResponse,
      errorFormat: 'oauth',
      parameterErrors: { grant_type: 'unsupported_grant_type' },
      oauthErrors: ['invalid_client', 'invalid_grant'],
    },
    async function token({ body }) {
      if (body.code === 'bad-client') throw new OAuthError('invalid_client', 'Unknown client.');
      if (body.code === 'boom') throw new Error('database password is hunter2');
      return { access_token: `at-${body.grant_type}`, token_type: 'Bearer' as const };
    },
  );
  const profile = endpoint(
    {
      summary: 'Profile form',
      accepts: 'form',
      body: z.object({ name: z.string() }),
      response: z.object({ name: z.string() }),
    },
    async function saveProfile({ body }) {
      return body;
    },
  );
  const authorize = endpoint(
    {
      summary: 'Authorize',
      query: z.object({ client_id: z.string(), scope: z.string().optional() }),
      response: z.object({ ok: z.boolean() }),
      errorFormat: 'oauth',
    },
    async function authorize() {
      return { ok: true };
    },
  );
  const api = createApiRouter()
    .get('/oauth2/authorize', authorize)
    .post('/oauth2/token', recordBody, token)
    .post('/oauth2/limited', rateLimited, token)
    .post('/profile', profile);
  return serve(api);
}

function postForm(path: string, form: string) {
  return request(makeApp()).post(path).type('form').send(form);
}

describe('form bodies', () => {
  it('parses a form body before the guards run', async () => {
    seenByGuard.length = 0;
    const res = await postForm('/oauth2/token', 'grant_type=refresh_token&scope=openid');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ access_token: 'at-refresh_token', token_type: 'Bearer' });
    expect(seenByGuard).toEqual([{ grant_type: 'refresh_token', scope: 'openid' }]);
  });

  it('rejects a repeated field on a plain form route as validation_failed', async () => {
    const res = await postForm('/profile', 'name=a&name=b');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.errors).toEqual([{ path: 'body.name', message: 'must be sent once' }]);
  });

  it('answers 415 for JSON sent to a form route', async () => {
    const res = await request(makeApp()).post('/profile').send({ name: 'a' });
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('unsupported_media_type');
  });

  it('answers 413 in the route format for a form with too many fields', async () => {
    const form = Array.from({ length: 60 }, (_, i) => `f${i}=x`).join('&');
    const res = await postForm('/oauth2/token', form);
    expect(res.status).toBe(413);
    expect(res.body.error).toBe('invalid_request');
  });
});

describe("errorFormat: 'oauth'", () => {
  it('marks successful answers no-store (RFC 6749 §5.1)', async () => {
    const res = await postForm('/oauth2/token', 'grant_type=authorization_code&code=abc');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.pragma).toBe('no-cache');
  });

  it('answers a repeated parameter with invalid_request (RFC 6749 §3.1)', async () => {
    const res = await postForm('/oauth2/token', 'grant_type=refresh_token&scope=a&scope=b');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'invalid_request',
      error_description: 'Repeated parameter: scope',
    });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.pragma).toBe('no-cache');
  });

  it('answers a repeated query parameter with invalid_request too', async () => {
    const res = await request(makeApp()).get('/oauth2/authorize?client_id=a&client_id=b');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'invalid_request',
      error_description: 'Repeated parameter: client_id',
    });
    const ok = await request(makeApp()).get('/oauth2/authorize?client_id=a&scope=openid');
    expect(ok.body).toEqual({ ok: true });
  });

  it('names a missing parameter, and treats an empty one as missing', async () => {
    for (const form of ['scope=openid', 'grant_type=&scope=openid']) {
      const res = await postForm('/oauth2/token', form);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        error: 'invalid_request',
        error_description: 'Missing parameter: grant_type',
      });
    }
  });

  it('maps an invalid parameter to its declared error, in §5.2-safe text', async () => {
    const res = await postForm('/oauth2/token', 'grant_type=password');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('unsupported_grant_type');
    expect(res.body.error_description).toMatch(
      /^Invalid parameter: grant_type \(.*'refresh_token'/,
    );
    // RFC 6749 §5.2: no `"` or `\` in error_description.
    expect(res.body.error_description).not.toMatch(/["\\]/);
  });

  it('answers 401 invalid_client with a WWW-Authenticate challenge', async () => {
    const res = await postForm('/oauth2/token', 'grant_type=authorization_code&code=bad-client');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'invalid_client', error_description: 'Unknown client.' });
    expect(res.headers['www-authenticate']).toMatch(/^Basic realm="/);
  });

  it('answers a guard error in OAuth shape, keeping its status and headers', async () => {
    const res = await postForm('/oauth2/limited', 'grant_type=refresh_token');
    expect(res.status).toBe(429);
    expect(res.body).toEqual({ error: 'temporarily_unavailable', error_description: 'Slow down.' });
    expect(res.headers['retry-after']).toBe('30');
  });

  it('answers an unexpected failure as server_error with no detail', async () => {
    const res = await postForm('/oauth2/token', 'grant_type=authorization_code&code=boom');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: 'server_error' });
  });

  it('answers a JSON body with 415 in OAuth shape', async () => {
    const res = await request(makeApp())
      .post('/oauth2/token')
      .send({ grant_type: 'refresh_token' });
    expect(res.status).toBe(415);
    expect(res.body.error).toBe('invalid_request');
  });
});
