import { credentialSource } from './credentials';

/** A stand-in control plane for admin sign-in and refresh (outbound HTTP, not the DB). */
function fakeAdminAuth(options: { refreshFails?: boolean } = {}) {
  const calls: string[] = [];
  let issued = 0;
  const fetch: typeof globalThis.fetch = (input) => {
    const path = new URL(input instanceof Request ? input.url : input.toString()).pathname;
    calls.push(path);
    if (path === '/v1/auth/refresh' && options.refreshFails) {
      return Promise.resolve(
        new Response('{"code":"refresh_token_invalid"}', {
          status: 401,
          headers: { 'content-type': 'application/problem+json' },
        }),
      );
    }
    issued += 1;
    const body = {
      access_token: `at${String(issued)}`,
      refresh_token: `rt${String(issued)}`,
      expires_in: 900,
      token_type: 'Bearer',
    };
    return Promise.resolve(
      new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } }),
    );
  };
  return { fetch, calls };
}

describe('credentialSource', () => {
  it('uses HJ_MCP_TOKEN as given', async () => {
    const cp = fakeAdminAuth();
    const token = credentialSource({ cpUrl: 'http://cp.test', fetch: cp.fetch, token: 'hjk_x' });
    expect(await token()).toBe('hjk_x');
    expect(cp.calls).toEqual([]);
  });

  it('signs in once, shares the session, and refreshes it a minute before it expires', async () => {
    let now = 0;
    const cp = fakeAdminAuth();
    const token = credentialSource({
      cpUrl: 'http://cp.test',
      fetch: cp.fetch,
      email: 'a@example.com',
      password: 'pw',
      now: () => now,
    });
    expect(await Promise.all([token(), token()])).toEqual(['at1', 'at1']);
    now = 830_000;
    expect(await token()).toBe('at1');
    now = 841_000;
    expect(await token()).toBe('at2');
    expect(cp.calls).toEqual(['/v1/auth/sign-in', '/v1/auth/refresh']);
  });

  it('signs in again when the refresh token is refused', async () => {
    let now = 0;
    const cp = fakeAdminAuth({ refreshFails: true });
    const token = credentialSource({
      cpUrl: 'http://cp.test',
      fetch: cp.fetch,
      email: 'a@example.com',
      password: 'pw',
      now: () => now,
    });
    await token();
    now = 900_000;
    expect(await token()).toBe('at2');
    expect(cp.calls).toEqual(['/v1/auth/sign-in', '/v1/auth/refresh', '/v1/auth/sign-in']);
  });
});
