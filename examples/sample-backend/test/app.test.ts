import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../src/index';

// Driven with real tokens from a running data plane in e2e/src/sample-backend.test.ts; these cases
// need no issuer at all, since nothing reaches the JWKS.
describe('sample backend', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = createServer(createApp({ tenantUrl: 'http://127.0.0.1:1/t/acme' }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('serves /healthz without a token', async () => {
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
  });

  it('refuses /api/profile without a token with a Bearer challenge', async () => {
    const res = await fetch(`${url}/api/profile`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('refuses the permission-guarded route without a token', async () => {
    const res = await fetch(`${url}/api/docs/1`, { method: 'PUT' });
    expect(res.status).toBe(401);
  });

  it('answers 503, not 401, when the tenant JWKS cannot be reached', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'EdDSA', typ: 'at+jwt', kid: 'k' }));
    const res = await fetch(`${url}/api/profile`, {
      headers: { authorization: `Bearer ${header.toString('base64url')}.e30.c2ln` },
    });
    expect(res.status).toBe(503);
  });
});
