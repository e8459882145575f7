import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { ErrorRequestHandler } from 'express';
import { authOf, requireAuth } from '../src/index';
import type { RequireAuthOptions } from '../src/index';
import { startJwksServer } from './support/jwks-server';
import type { JwksServer } from './support/jwks-server';
import { forge, mint, newKey, TENANT_ID } from './support/keys';
import type { TestKey } from './support/keys';

let jwks: JwksServer;
let key: TestKey;
let api: Server;
let apiUrl: string;

async function startApi(options: Partial<RequireAuthOptions> = {}): Promise<void> {
  const app = express();
  const guard = requireAuth({ tenantUrl: jwks.url, audience: jwks.url, ...options });
  app.get('/profile', guard, function profile(req, res) {
    res.json(authOf(req));
  });
  app.get(
    '/orders',
    requireAuth({ tenantUrl: jwks.url, audience: jwks.url, requiredScopes: ['orders:read'] }),
    function orders(_req, res) {
      res.json([]);
    },
  );
  const onError: ErrorRequestHandler = function onError(error, _req, res, next) {
    if (res.headersSent) {
      next(error);
      return;
    }
    res.status(500).json({ error: 'server_error' });
  };
  app.use(onError);
  api = createServer(app);
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
}

beforeEach(async () => {
  key = await newKey();
  jwks = await startJwksServer([key.publicJwk]);
  await startApi();
});
afterEach(async () => {
  await new Promise((resolve) => api.close(resolve));
  await jwks.close();
});

const get = (path: string, authorization?: string) =>
  fetch(`${apiUrl}${path}`, { headers: authorization ? { authorization } : {} });

describe('requireAuth', () => {
  it('puts the verified identity on req.auth', async () => {
    const res = await get('/profile', `Bearer ${await mint(key, jwks.url)}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      sub: 'user-1',
      tid: TENANT_ID,
      sid: 'session-1',
      scope: ['openid', 'profile', 'email'],
      claims: { iss: jwks.url, aud: jwks.url },
    });
  });

  it('accepts the scheme in any case (RFC 9110 §11.1)', async () => {
    const res = await get('/profile', `bearer ${await mint(key, jwks.url)}`);
    expect(res.status).toBe(200);
  });

  it('answers a request without a token with a bare Bearer challenge (RFC 6750 §3.1)', async () => {
    for (const authorization of [undefined, 'Basic dXNlcjpwYXNz']) {
      const res = await get('/profile', authorization);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(await res.json()).toMatchObject({ error: 'unauthenticated' });
    }
  });

  it('answers an invalid token 401 invalid_token with a description', async () => {
    const expired = await mint(key, jwks.url, {}, new Date(Date.now() - 3600_000));
    const res = await get('/profile', `Bearer ${expired}`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer error="invalid_token", error_description="The token has expired"',
    );
    expect(await res.json()).toEqual({
      error: 'invalid_token',
      error_description: 'The token has expired',
    });
  });

  it('answers a malformed Authorization header 401 invalid_token', async () => {
    for (const authorization of ['Bearer', 'Bearer a b', 'Bearer "quoted"']) {
      const res = await get('/profile', authorization);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    }
  });

  it('answers alg none 401 without reaching the handler', async () => {
    const iat = Math.floor(Date.now() / 1000);
    const token = forge(
      { alg: 'none', typ: 'at+jwt' },
      { iss: jwks.url, aud: jwks.url, sub: 'admin', tid: TENANT_ID, iat, exp: iat + 900 },
    );
    const res = await get('/profile', `Bearer ${token}`);
    expect(res.status).toBe(401);
  });

  it('answers a missing scope 403 insufficient_scope naming the scope', async () => {
    const res = await get('/orders', `Bearer ${await mint(key, jwks.url)}`);
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer error="insufficient_scope", error_description="The token lacks scope orders:read", scope="orders:read"',
    );
    const granted = await mint(key, jwks.url, { scope: 'openid orders:read' });
    expect((await get('/orders', `Bearer ${granted}`)).status).toBe(200);
  });

  it('hands a JWKS outage to the error handler instead of blaming the caller', async () => {
    jwks.fail();
    const res = await get('/profile', `Bearer ${await mint(key, jwks.url)}`);
    expect(res.status).toBe(500);
  });
});
