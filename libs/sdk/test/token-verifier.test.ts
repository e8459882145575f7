import { createHmac, createPublicKey } from 'node:crypto';
import { SignJWT } from 'jose';
import { createTokenVerifier, InvalidTokenError } from '../src/index';
import { startJwksServer } from './support/jwks-server';
import type { JwksServer } from './support/jwks-server';
import { forge, mint, newKey, TENANT_ID } from './support/keys';
import type { TestKey } from './support/keys';

let server: JwksServer;
let key: TestKey;

beforeEach(async () => {
  key = await newKey();
  server = await startJwksServer([key.publicJwk]);
});
afterEach(async () => {
  jest.useRealTimers();
  await server.close();
});

const verifierFor = (overrides: { requiredScopes?: string[]; audience?: string } = {}) =>
  createTokenVerifier({ tenantUrl: server.url, audience: server.url, ...overrides });

async function refusal(promise: Promise<unknown>): Promise<InvalidTokenError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof InvalidTokenError))
    throw new Error(`expected a refusal, got ${String(error)}`);
  return error;
}

function payload(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const iat = Math.floor(Date.now() / 1000);
  return {
    iss: server.url,
    aud: server.url,
    sub: 'user-1',
    tid: TENANT_ID,
    iat,
    exp: iat + 900,
    ...overrides,
  };
}

describe('createTokenVerifier', () => {
  it('accepts a token the data plane would mint and returns its claims', async () => {
    const claims = await verifierFor().verify(await mint(key, server.url));
    expect(claims).toMatchObject({
      iss: server.url,
      sub: 'user-1',
      tid: TENANT_ID,
      sid: 'session-1',
    });
    expect(server.fetches()).toBe(1);
  });

  it('tolerates a trailing slash on the configured tenant URL', async () => {
    const verifier = createTokenVerifier({ tenantUrl: `${server.url}/`, audience: server.url });
    await expect(verifier.verify(await mint(key, server.url))).resolves.toMatchObject({
      sub: 'user-1',
    });
  });

  it('refuses an expired token', async () => {
    const token = await mint(key, server.url, {}, new Date(Date.now() - 3600_000));
    const error = await refusal(verifierFor().verify(token));
    expect(error).toMatchObject({ code: 'invalid_token', status: 401 });
    expect(error.description).toMatch(/expired/);
  });

  it('refuses a token from another issuer', async () => {
    const token = await mint(key, 'http://127.0.0.1:1/t/other', { audience: server.url });
    const error = await refusal(verifierFor().verify(token));
    expect(error.description).toMatch(/iss/);
  });

  it('refuses a token for another audience', async () => {
    const token = await mint(key, server.url, { audience: 'another-api' });
    const error = await refusal(verifierFor().verify(token));
    expect(error.description).toMatch(/aud/);
  });

  it('refuses alg none without fetching keys', async () => {
    const token = forge({ alg: 'none', typ: 'at+jwt', kid: key.publicJwk.kid }, payload());
    const error = await refusal(verifierFor().verify(token));
    expect(error.description).toMatch(/algorithm/);
    expect(server.fetches()).toBe(0);
  });

  it('refuses HS256 signed with the public key as the HMAC secret', async () => {
    const pem = createPublicKey({ key: { ...key.publicJwk }, format: 'jwk' })
      .export({ type: 'spki', format: 'pem' })
      .toString();
    for (const secret of [pem, JSON.stringify(key.publicJwk), key.publicJwk.kid]) {
      const token = forge(
        { alg: 'HS256', typ: 'at+jwt', kid: key.publicJwk.kid },
        payload(),
        (input) => createHmac('sha256', secret).update(input).digest('base64url'),
      );
      const error = await refusal(verifierFor().verify(token));
      expect(error.description).toMatch(/algorithm/);
    }
  });

  it('refuses a token whose typ is not at+jwt (an ID token, say)', async () => {
    const token = await new SignJWT(payload())
      .setProtectedHeader({ alg: 'EdDSA', kid: key.publicJwk.kid, typ: 'JWT' })
      .sign(key.key.privateKey);
    const error = await refusal(verifierFor().verify(token));
    expect(error.description).toMatch(/typ/);
  });

  it('refuses a token without tid', async () => {
    const withoutTid = payload();
    delete withoutTid.tid;
    const token = await new SignJWT(withoutTid)
      .setProtectedHeader({ alg: 'EdDSA', kid: key.publicJwk.kid, typ: 'at+jwt' })
      .sign(key.key.privateKey);
    const error = await refusal(verifierFor().verify(token));
    expect(error.description).toMatch(/tid/);
  });

  it('refuses a token whose payload was altered after signing', async () => {
    const [header, , signature] = (await mint(key, server.url)).split('.');
    const altered = Buffer.from(JSON.stringify(payload({ sub: 'admin' }))).toString('base64url');
    const error = await refusal(verifierFor().verify(`${header}.${altered}.${signature}`));
    expect(error.description).toMatch(/signature/);
  });

  it('answers insufficient_scope (403) when a required scope is missing', async () => {
    const token = await mint(key, server.url, { scope: 'openid profile' });
    const error = await refusal(
      verifierFor({ requiredScopes: ['profile', 'orders:read'] }).verify(token),
    );
    expect(error).toMatchObject({
      code: 'insufficient_scope',
      status: 403,
      scope: 'profile orders:read',
    });
    await expect(verifierFor({ requiredScopes: ['profile'] }).verify(token)).resolves.toBeDefined();
  });

  it('refetches the JWKS for an unknown kid at most once per 30 s cool-down', async () => {
    // Only Date is faked: jose times its cool-down with Date.now(), while the loopback server
    // and fetch keep their real timers.
    jest.useFakeTimers({
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    });
    const verifier = verifierFor();
    await verifier.verify(await mint(key, server.url));
    expect(server.fetches()).toBe(1);

    const rotated = await newKey();
    const fromNewKey = await mint(rotated, server.url);
    // Still in the cool-down that follows the first fetch: no refetch.
    await refusal(verifier.verify(fromNewKey));
    expect(server.fetches()).toBe(1);

    jest.setSystemTime(Date.now() + 31_000);
    const unknown = await refusal(verifier.verify(fromNewKey));
    expect(unknown.description).toMatch(/kid/);
    expect(server.fetches()).toBe(2);
    // A flood of unknown kids right after costs no further fetch.
    await refusal(verifier.verify(fromNewKey));
    await refusal(verifier.verify(fromNewKey));
    expect(server.fetches()).toBe(2);

    // The tenant publishes the rotated key: picked up on first use once the cool-down is over.
    server.setKeys([key.publicJwk, rotated.publicJwk]);
    jest.setSystemTime(Date.now() + 31_000);
    await expect(verifier.verify(fromNewKey)).resolves.toMatchObject({ sub: 'user-1' });
    expect(server.fetches()).toBe(3);
    await verifier.verify(await mint(key, server.url));
    expect(server.fetches()).toBe(3);
  });

  it('lets a JWKS outage propagate as our failure, not the token', async () => {
    server.fail();
    const outcome = await verifierFor()
      .verify(await mint(key, server.url))
      .then(
        () => undefined,
        (reason: unknown) => reason,
      );
    expect(outcome).toBeInstanceOf(Error);
    expect(outcome).not.toBeInstanceOf(InvalidTokenError);
  });

  it('insists on an issuer', () => {
    expect(() => createTokenVerifier({ audience: 'x' })).toThrow(TypeError);
  });
});

describe('createTokenVerifier: signing algorithms', () => {
  it.each(['EdDSA', 'RS256', 'ES256'] as const)(
    'accepts %s tokens from the tenant JWKS by default',
    async (alg) => {
      const signer = await newKey(alg);
      server.setKeys([key.publicJwk, signer.publicJwk]);
      await expect(verifierFor().verify(await mint(signer, server.url))).resolves.toMatchObject({
        sub: 'user-1',
      });
    },
  );

  it('refuses an algorithm left out of `algorithms`', async () => {
    const es = await newKey('ES256');
    server.setKeys([key.publicJwk, es.publicJwk]);
    const verifier = createTokenVerifier({
      tenantUrl: server.url,
      audience: server.url,
      algorithms: ['EdDSA'],
    });
    const error = await refusal(verifier.verify(await mint(es, server.url)));
    expect(error.description).toMatch(/algorithm/);
    await expect(verifier.verify(await mint(key, server.url))).resolves.toMatchObject({
      sub: 'user-1',
    });
  });

  it('never checks a token with a key published for another alg', async () => {
    // The JWKS holds only the Ed25519 key; an ES256 token under its kid finds no key of its alg.
    const es = await newKey('ES256');
    const token = await mint({ ...es, key: { ...es.key, kid: key.publicJwk.kid } }, server.url);
    const error = await refusal(verifierFor().verify(token));
    expect(error.code).toBe('invalid_token');
  });

  it('refuses an empty or non-HelloJohn algorithm list up front', () => {
    const base = { tenantUrl: 'http://127.0.0.1:1/t/acme', audience: 'x' };
    expect(() => createTokenVerifier({ ...base, algorithms: [] })).toThrow(TypeError);
    expect(() =>
      createTokenVerifier({ ...base, algorithms: ['HS256'] as unknown as ['EdDSA'] }),
    ).toThrow(TypeError);
  });
});
