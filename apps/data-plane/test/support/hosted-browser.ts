import { createHash, randomBytes, randomInt } from 'node:crypto';
import request from 'supertest';
import type { TestTenant } from './dp-system';

/** A PKCE pair (RFC 7636 §4.1–4.2, S256). */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** The value of a hidden field of a page (`name="csrf" value="..."`). */
export function hiddenField(page: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(page);
  if (!match?.[1]) throw new Error(`no hidden field ${name} on the page:\n${page.slice(0, 2000)}`);
  return match[1];
}

/**
 * A browser on the hosted login: a supertest agent keeps its cookies (the SSO and interaction
 * cookies, `Path=/t/{slug}` on http); each request comes from a fresh documentation-range address
 * so the per-address budgets count only where a test means them to.
 */
export function hostedBrowser(baseUrl: string, tenant: TestTenant) {
  const agent = request.agent(baseUrl);
  const ip = () => `192.0.2.${randomInt(1, 255)}`;
  const base = `/t/${tenant.slug}`;
  return {
    agent,
    base,
    authorize: (params: Record<string, string>) =>
      agent.get(`${base}/oauth2/authorize`).query(params).set('X-Forwarded-For', ip()),
    get: (path: string) => agent.get(path).set('X-Forwarded-For', ip()),
    post: (path: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
      agent
        .post(path)
        .set('X-Forwarded-For', ip())
        .set(headers)
        .type('form')
        .send(new URLSearchParams(form).toString()),
  };
}

export type HostedBrowser = ReturnType<typeof hostedBrowser>;
