import { randomBytes, randomInt } from 'node:crypto';
import request from 'supertest';
import type { TestTenant } from './dp-system';

/** Long enough for the default policy and on no common-password list. */
export const PASSWORD = 'violet kettle drum 42';
export const NEW_PASSWORD = 'amber lantern quietly 77';

export interface Tokens {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
}

export const uniqueEmail = (prefix: string): string =>
  `${prefix}-${randomBytes(4).toString('hex')}@example.com`;

/**
 * Each request comes "from" a random documentation-range address (the app trusts loopback
 * proxies), so the per-IP rate limits, tested elsewhere, never interfere with these tests.
 */
const randomIp = (): string => `198.51.${randomInt(0, 256)}.${randomInt(1, 255)}`;

type Method = 'get' | 'post' | 'patch' | 'delete';

/** Calls one tenant's routes: under `/t/{slug}`, or at the root with `X-Tenant-ID` (`viaHeader`). */
export function tenantApi(baseUrl: string, tenant: TestTenant, viaHeader = false) {
  function call(method: Method, path: string, token?: string, body?: unknown) {
    const url = viaHeader ? path : `/t/${tenant.slug}${path}`;
    let req = request(baseUrl)[method](url).set('X-Forwarded-For', randomIp());
    if (viaHeader) req = req.set('X-Tenant-ID', tenant.slug);
    if (token !== undefined) req = req.set('Authorization', `Bearer ${token}`);
    if (body !== undefined) req = req.send(body as object);
    return req;
  }
  const api = {
    get: (path: string, token?: string) => call('get', path, token),
    post: (path: string, body?: unknown, token?: string) => call('post', path, token, body),
    patch: (path: string, body: unknown, token?: string) => call('patch', path, token, body),
    del: (path: string, token?: string, body?: unknown) => call('delete', path, token, body),
    signUp: (email: string, password = PASSWORD) =>
      call('post', '/v1/auth/sign-up', undefined, { email, password }),
    signIn: (email: string, password = PASSWORD) =>
      call('post', '/v1/auth/sign-in', undefined, { email, password }),
    refresh: (refreshToken: string) =>
      call('post', '/v1/auth/refresh', undefined, { refresh_token: refreshToken }),
    /** Signs a new user up and returns the user id and first token pair. */
    async newUser(prefix = 'user'): Promise<{ id: string; email: string; tokens: Tokens }> {
      const email = uniqueEmail(prefix);
      const res = await api.signUp(email).expect(201);
      return { id: res.body.user.id as string, email, tokens: res.body as Tokens };
    },
  };
  return api;
}

export type TenantApi = ReturnType<typeof tenantApi>;
