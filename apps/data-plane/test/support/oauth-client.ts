import { randomInt } from 'node:crypto';
import request from 'supertest';
import type { TestTenant } from './dp-system';

/** A client's credentials, as the control plane hands them out. */
export interface ClientCredentials {
  client_id: string;
  client_secret?: string;
}

/** How a request authenticates its client (RFC 6749 §2.3). */
export type ClientAuth =
  | { basic: ClientCredentials }
  | { post: ClientCredentials }
  | { none: string }
  | { header: string }
  | Record<string, never>;

/** RFC 6749 §2.3.1: form-urlencode id and secret, join with `:`, base64. */
export function basicHeader(clientId: string, secret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(secret)}`).toString('base64')}`;
}

// A fresh documentation-range address per request unless one is given, so the per-address
// budgets only count where a test means them to.
const randomIp = (): string => `203.0.${randomInt(0, 256)}.${randomInt(1, 255)}`;

/** Form posts to a tenant's OAuth endpoints (`/t/{slug}/oauth2/...`). */
export function oauthApi(baseUrl: string, tenant: TestTenant) {
  function post(
    endpoint: 'token' | 'introspect' | 'revoke',
    fields: Record<string, string> | string,
    auth: ClientAuth = {},
    ip: string = randomIp(),
  ) {
    const form = new URLSearchParams(typeof fields === 'string' ? fields : fields);
    let req = request(baseUrl)
      .post(`/t/${tenant.slug}/oauth2/${endpoint}`)
      .set('X-Forwarded-For', ip)
      .type('form');
    if ('basic' in auth) {
      req = req.set(
        'Authorization',
        basicHeader(auth.basic.client_id, auth.basic.client_secret ?? ''),
      );
    } else if ('header' in auth) {
      req = req.set('Authorization', auth.header);
    } else if ('post' in auth) {
      form.set('client_id', auth.post.client_id);
      if (auth.post.client_secret !== undefined) form.set('client_secret', auth.post.client_secret);
    } else if ('none' in auth) {
      form.set('client_id', auth.none);
    }
    return req.send(form.toString());
  }
  return {
    post,
    token: (auth: ClientAuth, fields: Record<string, string> = {}, ip?: string) =>
      post('token', { grant_type: 'client_credentials', ...fields }, auth, ip),
    introspect: (auth: ClientAuth, token: string, ip?: string) =>
      post('introspect', { token }, auth, ip),
    revoke: (auth: ClientAuth, token: string, ip?: string) => post('revoke', { token }, auth, ip),
  };
}

export type OAuthApi = ReturnType<typeof oauthApi>;

export { eventually } from '@hellojohn/testing';
