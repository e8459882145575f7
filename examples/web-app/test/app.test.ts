import request from 'supertest';
import { createWebApp } from '../src/app';
import { localPath } from '../src/routes/sign-in';

// The whole sign-in runs against a real HelloJohn in e2e/src/example-web-app.test.ts; these
// cases need no identity provider (port 9 of loopback: nothing listens there).
const app = createWebApp({
  issuer: 'http://127.0.0.1:9/t/acme',
  clientId: 'hjc_1',
  clientSecret: 'secret',
  appUrl: 'http://127.0.0.1:3001',
  backendUrl: 'http://127.0.0.1:3000',
});

describe('web app without an identity provider', () => {
  let consoleError: jest.SpyInstance;
  beforeEach(() => {
    consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => {
    consoleError.mockRestore();
  });

  it('shows a signed-out home page with a sign-in link, uncached and unframeable', async () => {
    const res = await request(app).get('/').expect(200);
    expect(res.text).toContain('You are not signed in.');
    expect(res.text).toContain('<a href="/login">');
    expect(res.headers).toMatchObject({
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
    });
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('sends a signed-out visitor of /profile to sign in, and back', async () => {
    const res = await request(app).get('/profile').expect(303);
    expect(res.headers.location).toBe('/login?return_to=%2Fprofile');
  });

  it('answers 502 naming the issuer when discovery fails', async () => {
    const res = await request(app).get('/login').expect(502);
    expect(res.text).toContain('http://127.0.0.1:9/t/acme');
    expect(res.text).not.toContain('fetch failed');
  });

  it('refuses a callback without a sign-in in progress', async () => {
    const res = await request(app).get('/callback?code=x&state=y').expect(400);
    expect(res.text).toContain('Sign-in failed');
  });

  it('offers sign-out as a POST form, refuses a cross-site one, and goes home otherwise', async () => {
    expect((await request(app).get('/logout').expect(200)).text).toContain(
      '<form method="post" action="/logout">',
    );
    await request(app).post('/logout').set('Origin', 'https://evil.example').expect(403);
    const res = await request(app)
      .post('/logout')
      .set('Origin', 'http://127.0.0.1:3001')
      .expect(303);
    expect(res.headers.location).toBe('/');
  });

  it('answers unknown paths with 404', async () => {
    await request(app).get('/nope').expect(404);
  });
});

describe('localPath', () => {
  it('keeps local paths', () => {
    expect(localPath('/profile')).toBe('/profile');
    expect(localPath('/a?b=c')).toBe('/a?b=c');
  });
  it.each([
    undefined,
    ['/x'],
    '',
    'profile',
    '//evil.example',
    'https://evil.example',
    '/\\evil.example',
    '/\t/evil.example',
  ])('turns %j into /', (value) => {
    expect(localPath(value)).toBe('/');
  });
});
