import { randomInt } from 'node:crypto';
import request from 'supertest';
import type { TestTenant } from './dp-system';

/** The payload of a JWT, unverified (the data plane verified it; tests only read claims). */
export function claimsOf(token: string): Record<string, unknown> {
  const [, payload] = token.split('.');
  return JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

/** `PUT` under `/t/{slug}` (the shared tenant client has no `put`). */
export function put(baseUrl: string, tenant: TestTenant, path: string, token: string) {
  return request(baseUrl)
    .put(`/t/${tenant.slug}${path}`)
    .set('X-Forwarded-For', `198.51.${randomInt(0, 256)}.${randomInt(1, 255)}`)
    .set('Authorization', `Bearer ${token}`);
}
