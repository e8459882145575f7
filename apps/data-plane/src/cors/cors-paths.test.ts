import { corsPathOf } from './cors-paths';

describe('CORS paths', () => {
  it.each([
    ['/t/acme/.well-known/openid-configuration', 'GET'],
    ['/t/acme/.well-known/jwks.json', 'GET'],
    ['/.well-known/oauth-authorization-server/t/acme', 'GET'],
    ['/t/acme/oauth2/token', 'POST'],
    ['/t/acme/oauth2/revoke', 'POST'],
    ['/t/acme/oauth2/introspect', 'POST'],
    ['/t/acme/userinfo', 'GET, POST'],
    ['/t/acme/v1/me', 'GET, POST, PUT, PATCH, DELETE'],
    ['/t/acme/v1/auth/sign-in', 'GET, POST, PUT, PATCH, DELETE'],
  ])('answers CORS on %s', (path, methods) => {
    expect(corsPathOf(path)).toEqual({ tenant: 'acme', methods });
  });

  it.each([
    // RFC 9700 §2.6: never on the pages a browser navigates to.
    '/t/acme/oauth2/authorize',
    '/t/acme/oauth2/end-session',
    '/t/acme/login',
    '/t/acme/login/consent',
    // The tenant of root-level routes is in X-Tenant-ID, which a preflight does not carry.
    '/v1/me',
    '/.well-known/jwks.json',
    '/healthz',
    // Spelt otherwise than browsers send them: no CORS (fail closed).
    '/t/acme/oauth2/token/',
    '/t/acme/OAuth2/token',
    '/t/acme/v1',
    '/t/ac%20me/oauth2/token',
    '/t/acme/oauth2/token/../authorize',
  ])('never answers CORS on %s', (path) => {
    expect(corsPathOf(path)).toBeUndefined();
  });
});
