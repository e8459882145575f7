import { bearerOf, bearerValidator } from './bearer-auth';

/** A stand-in control plane answering `GET /v1/tenants` by bearer (outbound HTTP, not the DB). */
function fakeControlPlane(statusOf: (token: string | undefined) => number | Error) {
  const calls: string[] = [];
  const fetch: typeof globalThis.fetch = (input, init) => {
    const token = new Headers(init?.headers).get('authorization')?.replace(/^Bearer /, '');
    calls.push(input instanceof Request ? input.url : input.toString());
    const status = statusOf(token);
    if (status instanceof Error) return Promise.reject(status);
    const body = status === 200 ? { data: [], next_cursor: null } : { code: `http_${status}` };
    return Promise.resolve(
      new Response(JSON.stringify(body), {
        status,
        headers: { 'content-type': 'application/json' },
      }),
    );
  };
  return { fetch, calls };
}

describe('bearerValidator', () => {
  it('accepts what the control plane knows, refuses 401, and asks with a cheap read', async () => {
    const cp = fakeControlPlane((token) => (token === 'hjk_good' ? 200 : 401));
    const validate = bearerValidator({ cpUrl: 'http://cp.test', fetch: cp.fetch });
    expect(await validate('hjk_good')).toBe(true);
    expect(await validate('hjk_bad')).toBe(false);
    expect(cp.calls[0]).toBe('http://cp.test/v1/tenants?limit=1');
  });

  it('counts a 403 as a known credential with a weaker role', async () => {
    const cp = fakeControlPlane(() => 403);
    expect(await bearerValidator({ cpUrl: 'http://cp.test', fetch: cp.fetch })('t')).toBe(true);
  });

  it('fails closed when the control plane errs or cannot be reached', async () => {
    const down = fakeControlPlane(() => new TypeError('fetch failed'));
    expect(await bearerValidator({ cpUrl: 'http://cp.test', fetch: down.fetch })('t')).toBe(false);
    const broken = fakeControlPlane(() => 503);
    expect(await bearerValidator({ cpUrl: 'http://cp.test', fetch: broken.fetch })('t')).toBe(
      false,
    );
  });

  it('remembers an accepted bearer for 30 s only, and never a refused one', async () => {
    let now = 1_000_000;
    let revoked = false;
    const cp = fakeControlPlane((token) => (token === 'good' && !revoked ? 200 : 401));
    const validate = bearerValidator({ cpUrl: 'http://cp.test', fetch: cp.fetch, now: () => now });
    expect(await validate('good')).toBe(true);
    revoked = true;
    now += 29_000;
    expect(await validate('good')).toBe(true);
    expect(cp.calls).toHaveLength(1);
    now += 2_000;
    expect(await validate('good')).toBe(false);
    expect(await validate('good')).toBe(false);
    expect(cp.calls).toHaveLength(3);
  });
});

describe('bearerOf', () => {
  it('reads an RFC 6750 bearer and nothing else', () => {
    expect(bearerOf('Bearer hjk_abc.def-_~+/=')).toBe('hjk_abc.def-_~+/=');
    expect(bearerOf('bearer x')).toBe('x');
    expect(bearerOf('Basic dXNlcjpwdw==')).toBeUndefined();
    expect(bearerOf('Bearer a b')).toBeUndefined();
    expect(bearerOf(undefined)).toBeUndefined();
  });
});
