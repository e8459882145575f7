import { classifyRedirectUri, httpsUrlProblem, redirectUriProblem } from './check-redirect-uri';

describe('classifyRedirectUri', () => {
  it.each([
    ['https://app.example.com/callback', 'https'],
    ['https://app.example.com:8443/cb?x=1', 'https'],
    ['http://localhost:3000/cb', 'loopback'],
    ['http://127.0.0.1/cb', 'loopback'],
    ['http://[::1]:8080/cb', 'loopback'],
    ['http://LOCALHOST/cb', 'loopback'],
    ['com.example.app:/oauth2redirect', 'private-use'],
    ['com.example.app://callback', 'private-use'],
  ])('accepts %s as %s', (uri, kind) => {
    expect(classifyRedirectUri(uri)).toEqual({ ok: true, kind });
  });

  it.each([
    ['/relative/path', 'must be an absolute URL'],
    ['not a url', 'must not contain whitespace or control characters'],
    ['https://app.example.com/cb\n', 'must not contain whitespace or control characters'],
    ['https://app.example.com/cb#frag', 'must not contain a fragment'],
    ['https://app.example.com/cb#', 'must not contain a fragment'],
    ['https://user:pw@app.example.com/cb', 'must not contain credentials'],
    ['http://app.example.com/cb', 'http is only allowed for localhost, 127.0.0.1 and [::1]'],
    ['http://localhost.evil.com/cb', 'http is only allowed for localhost, 127.0.0.1 and [::1]'],
    ['http://127.0.0.2/cb', 'http is only allowed for localhost, 127.0.0.1 and [::1]'],
  ])('rejects %j: %s', (uri, reason) => {
    expect(classifyRedirectUri(uri)).toEqual({ ok: false, reason });
  });

  it.each([
    'javascript:alert(1)',
    'data:text/html,hi',
    'file:///etc/passwd',
    'myapp:/cb',
    'ftp://x.example/',
  ])('rejects the scheme of %s', (uri) => {
    expect(classifyRedirectUri(uri)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('must use https'),
    });
  });

  it('rejects URIs over 2000 characters', () => {
    const uri = `https://app.example.com/${'a'.repeat(2000)}`;
    expect(classifyRedirectUri(uri)).toEqual({
      ok: false,
      reason: 'must be at most 2000 characters',
    });
  });
});

describe('redirectUriProblem', () => {
  it('allows private-use schemes for public clients only (RFC 8252 §7.1)', () => {
    expect(redirectUriProblem('com.example.app:/cb', 'public')).toBeUndefined();
    expect(redirectUriProblem('com.example.app:/cb', 'confidential')).toMatch(
      /public \(native\) clients only/,
    );
  });

  it('allows https and loopback for both client types', () => {
    for (const type of ['public', 'confidential'] as const) {
      expect(redirectUriProblem('https://a.example/cb', type)).toBeUndefined();
      expect(redirectUriProblem('http://127.0.0.1:5000/cb', type)).toBeUndefined();
    }
  });

  it('passes on the shape problem', () => {
    expect(redirectUriProblem('https://a.example/#x', 'public')).toBe(
      'must not contain a fragment',
    );
  });
});

describe('httpsUrlProblem', () => {
  it.each([
    'https://app.example.com',
    'https://app.example.com/logo.svg?v=2',
    'https://app.example.com/terms#section-2',
  ])('accepts %s', (uri) => {
    expect(httpsUrlProblem(uri)).toBeUndefined();
  });

  it.each([
    ['http://app.example.com/logo.svg', 'must use https'],
    ['http://localhost/logo.svg', 'must use https'],
    ['javascript:alert(1)', 'must use https'],
    ['data:image/png;base64,AAAA', 'must use https'],
    ['/logo.svg', 'must be an absolute URL'],
    ['https://u:p@app.example.com/', 'must not contain credentials'],
    ['https://app.example.com/a b', 'must not contain whitespace or control characters'],
  ])('rejects %j: %s', (uri, reason) => {
    expect(httpsUrlProblem(uri)).toBe(reason);
  });
});
