import { checkOrigin } from './check-origin';

describe('checkOrigin', () => {
  it.each([
    ['https://app.example.com', 'https://app.example.com'],
    ['https://app.example.com:8443', 'https://app.example.com:8443'],
    ['HTTPS://App.Example.COM', 'https://app.example.com'],
    ['https://app.example.com:443', 'https://app.example.com'],
    ['http://localhost:3000', 'http://localhost:3000'],
    ['http://LOCALHOST', 'http://localhost'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['http://[::1]:5173', 'http://[::1]:5173'],
    ['http://localhost:80', 'http://localhost'],
    ['https://bücher.example', 'https://xn--bcher-kva.example'],
    ['https://192.0.2.10', 'https://192.0.2.10'],
  ])('accepts %s as %s', (value, origin) => {
    expect(checkOrigin(value)).toEqual({ ok: true, origin });
  });

  it.each([
    ['https://app.example.com/', 'without path'],
    ['https://app.example.com/cb', 'without path'],
    ['https://app.example.com?x=1', 'without path'],
    ['https://app.example.com#top', 'without path'],
    ['app.example.com', 'must be an origin'],
    ['null', 'must be an origin'],
    ['', 'must be an origin'],
    ['https://app.example.com ', 'must be an origin'],
    ['https://*.example.com', 'wildcard'],
    ['*', 'wildcard'],
    ['https://app.example.com:99999', 'must be an origin'],
    ['https://user:pw@app.example.com', 'credentials'],
    ['https://user@app.example.com', 'credentials'],
    ['http://app.example.com', 'http is only allowed for localhost, 127.0.0.1 and [::1]'],
    ['http://localhost.evil.com', 'http is only allowed for localhost, 127.0.0.1 and [::1]'],
    ['ftp://app.example.com', 'must use https'],
    ['chrome-extension://abcdef', 'must use https'],
    [`https://${'a'.repeat(300)}.example`, 'at most 300 characters'],
  ])('rejects %j: %s', (value, reason) => {
    expect(checkOrigin(value)).toEqual({ ok: false, reason: expect.stringContaining(reason) });
  });
});
