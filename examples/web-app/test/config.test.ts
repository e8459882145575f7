import {
  callbackUris,
  checkConfig,
  configFromEnv,
  DEFAULT_SCOPE,
  isLoopbackHttp,
} from '../src/config';

const valid = {
  issuer: 'https://id.example.com/t/acme/',
  clientId: 'hjc_1',
  clientSecret: 'secret',
  appUrl: 'https://app.example.com/',
  backendUrl: 'https://api.example.com/',
};

describe('web app configuration', () => {
  it('normalises URLs and fills in the default scope', () => {
    expect(checkConfig(valid)).toEqual({
      ...valid,
      issuer: 'https://id.example.com/t/acme',
      appUrl: 'https://app.example.com',
      backendUrl: 'https://api.example.com',
      scope: DEFAULT_SCOPE,
    });
  });

  it('derives the URIs to register from the app URL', () => {
    expect(callbackUris({ appUrl: 'http://localhost:3001' })).toEqual({
      redirectUri: 'http://localhost:3001/callback',
      postLogoutRedirectUri: 'http://localhost:3001/',
    });
  });

  it('allows plain http on loopback hosts only', () => {
    for (const host of ['localhost', '127.0.0.1', '[::1]']) {
      expect(isLoopbackHttp(new URL(`http://${host}:8080/t/acme`))).toBe(true);
    }
    expect(isLoopbackHttp(new URL('http://id.example.com/t/acme'))).toBe(false);
    expect(isLoopbackHttp(new URL('http://localhost.example.com/'))).toBe(false);
    expect(isLoopbackHttp(new URL('https://localhost/'))).toBe(false);
    expect(() => checkConfig({ ...valid, issuer: 'http://id.example.com/t/acme' })).toThrow(
      /issuer must be https/,
    );
    expect(() => checkConfig({ ...valid, issuer: 'http://127.0.0.1:8080/t/acme' })).not.toThrow();
  });

  it('names every problem at once', () => {
    expect(() =>
      checkConfig({
        ...valid,
        clientId: '',
        clientSecret: '',
        appUrl: 'https://app.example.com/x',
      }),
    ).toThrow('invalid web app configuration: clientId is required; clientSecret is required');
    expect(() => checkConfig({ ...valid, appUrl: 'https://app.example.com/x' })).toThrow(
      /appUrl must be an origin/,
    );
    expect(() => checkConfig({ ...valid, backendUrl: 'not a url' })).toThrow(
      /backendUrl is not a URL/,
    );
  });

  it('reads the environment, with loopback defaults for the app and the backend', () => {
    const { config, port } = configFromEnv({
      HELLOJOHN_TENANT_URL: 'http://localhost:8080/t/acme',
      HELLOJOHN_CLIENT_ID: 'hjc_1',
      HELLOJOHN_CLIENT_SECRET: 'secret',
    });
    expect(port).toBe(3001);
    expect(config).toMatchObject({
      appUrl: 'http://localhost:3001',
      backendUrl: 'http://localhost:3000',
      scope: DEFAULT_SCOPE,
    });
    expect(() => configFromEnv({ PORT: 'eighty' })).toThrow(/PORT must be a port number/);
  });
});
