import { ApiError } from './api-error';
import { createCall } from './http';
import { createSession } from './session';

// jsdom has no fetch Response: a minimal one with what the client reads.
const json = (status: number, body: unknown, type = 'application/json'): Response => {
  const headers: Record<string, string> = { 'content-type': type, 'x-request-id': 'req-1' };
  return {
    status,
    ok: status >= 200 && status < 300,
    headers: { get: (name: string) => headers[name.toLowerCase()] ?? null },
    text: async () => JSON.stringify(body),
  } as unknown as Response;
};

const TOKENS = {
  access_token: 'at-1',
  refresh_token: 'rt-1',
  token_type: 'Bearer',
  expires_in: 900,
};

describe('createCall', () => {
  it('surfaces a problem+json title, detail, code, field errors and request id', async () => {
    const fetch = jest.fn(async () =>
      json(
        400,
        {
          type: 'x',
          title: 'The request is not valid',
          status: 400,
          detail: 'slug: must match the pattern',
          code: 'validation_failed',
          errors: [{ path: 'slug', message: 'must match the pattern' }],
        },
        'application/problem+json',
      ),
    );
    const session = createSession({
      baseUrl: 'http://cp',
      fetch: fetch as typeof globalThis.fetch,
    });
    const call = createCall({
      baseUrl: 'http://cp',
      session,
      fetch: fetch as typeof globalThis.fetch,
    });
    const error = (await call('POST', '/v1/tenants', { body: {} }).catch(
      (e: unknown) => e,
    )) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      title: 'The request is not valid',
      detail: 'slug: must match the pattern',
      code: 'validation_failed',
      requestId: 'req-1',
      errors: [{ path: 'slug', message: 'must match the pattern' }],
    });
  });

  it('refreshes once on 401 and retries with the new token', async () => {
    const seen: string[] = [];
    const fetch = jest.fn(async (url: string, init?: RequestInit) => {
      const auth = (init?.headers as Record<string, string> | undefined)?.authorization ?? '';
      seen.push(`${url} ${auth}`);
      if (url.endsWith('/v1/auth/sign-in')) return json(200, TOKENS);
      if (url.endsWith('/v1/auth/refresh'))
        return json(200, { ...TOKENS, access_token: 'at-2', refresh_token: 'rt-2' });
      return auth === 'Bearer at-2'
        ? json(200, { ok: true })
        : json(401, { title: 'Unauthorized' });
    });
    const f = fetch as unknown as typeof globalThis.fetch;
    const session = createSession({ baseUrl: 'http://cp', fetch: f });
    await session.signIn('ops@example.com', 'pw');
    const call = createCall({ baseUrl: 'http://cp', session, fetch: f });
    await expect(call('GET', '/v1/tenants')).resolves.toEqual({ ok: true });
    expect(seen).toEqual([
      'http://cp/v1/auth/sign-in ',
      'http://cp/v1/tenants Bearer at-1',
      'http://cp/v1/auth/refresh ',
      'http://cp/v1/tenants Bearer at-2',
    ]);
  });

  it('ends the session as expired when the refresh is refused', async () => {
    const fetch = jest.fn(async (url: string) => {
      if (url.endsWith('/v1/auth/sign-in')) return json(200, TOKENS);
      return json(401, { title: 'Unauthorized', code: 'invalid_token' });
    });
    const f = fetch as unknown as typeof globalThis.fetch;
    const session = createSession({ baseUrl: 'http://cp', fetch: f });
    await session.signIn('ops@example.com', 'pw');
    const call = createCall({ baseUrl: 'http://cp', session, fetch: f });
    await expect(call('GET', '/v1/tenants')).rejects.toMatchObject({ status: 401 });
    expect(session.state()).toEqual({ signedIn: false, expired: true });
  });

  it('does not refresh on a 401 about the request (a wrong authenticator code)', async () => {
    const seen: string[] = [];
    const fetch = jest.fn(async (url: string) => {
      seen.push(url);
      if (url.endsWith('/v1/auth/sign-in')) return json(200, TOKENS);
      return json(401, { title: 'Wrong code', code: 'invalid_mfa_code' });
    });
    const f = fetch as unknown as typeof globalThis.fetch;
    const session = createSession({ baseUrl: 'http://cp', fetch: f });
    await session.signIn('ops@example.com', 'pw');
    const call = createCall({ baseUrl: 'http://cp', session, fetch: f });
    await expect(
      call('POST', '/v1/auth/totp/confirm', { body: { code: '000000' } }),
    ).rejects.toMatchObject({ status: 401, code: 'invalid_mfa_code' });
    expect(seen).toEqual(['http://cp/v1/auth/sign-in', 'http://cp/v1/auth/totp/confirm']);
    expect(session.state()).toEqual({ signedIn: true, expired: false });
  });

  it('turns a network failure into an error with a title', async () => {
    const { asApiError } = await import('./api-error');
    expect(asApiError(new TypeError('Failed to fetch'))).toMatchObject({
      status: 0,
      title: 'The service could not be reached',
      detail: 'Failed to fetch',
    });
  });
});

describe('createSession', () => {
  it('keeps tokens out of web storage', async () => {
    const fetch = jest.fn(async () => json(200, TOKENS)) as unknown as typeof globalThis.fetch;
    const session = createSession({ baseUrl: 'http://cp', fetch });
    await session.signIn('ops@example.com', 'pw');
    expect(await session.accessToken()).toBe('at-1');
    expect(window.localStorage.length).toBe(0);
    expect(window.sessionStorage.length).toBe(0);
    await session.signOut();
    expect(await session.accessToken()).toBeUndefined();
  });
});
