import { randomInt } from 'node:crypto';
import request from 'supertest';
import type { TestTenant } from './dp-system';

/** The value of a hidden field of a page (`name="csrf" value="..."`). */
export function hiddenField(page: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(page);
  if (!match?.[1]) throw new Error(`no hidden field ${name} on the page:\n${page.slice(0, 2000)}`);
  return match[1];
}

/** The interaction's `tx` and `csrf`, as every hosted form posts them back. */
export const formTokens = (page: string): { tx: string; csrf: string } => ({
  tx: hiddenField(page, 'tx'),
  csrf: hiddenField(page, 'csrf'),
});

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

/** Follows /authorize to the sign-in page and posts the credentials; returns the answer (303). */
export async function signInThrough(
  browser: HostedBrowser,
  params: Record<string, string>,
  credentials: { email: string; password: string },
  status = 303,
) {
  const start = await browser.authorize(params).expect(303);
  const loginUrl = String(start.headers.location);
  expect(loginUrl).toMatch(new RegExp(`^${browser.base}/login\\?tx=[\\w-]{43}$`));
  const page = await browser.get(loginUrl).expect(200);
  return browser
    .post(`${browser.base}/login`, { ...formTokens(page.text), ...credentials })
    .expect(status);
}
