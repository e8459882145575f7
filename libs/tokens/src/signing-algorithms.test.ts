import { createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import {
  SignJWT,
  calculateJwkThumbprint,
  createLocalJWKSet,
  decodeProtectedHeader,
  jwtVerify,
} from 'jose';
import {
  ACCESS_TOKEN_ALGS,
  TokenError,
  atHashOf,
  buildJwks,
  parsePublicJwk,
  signAccessToken,
  signIdToken,
  verifyAccessToken,
  verifyIdTokenHint,
} from './index';
import type { AccessTokenAlg, VerifyOptions } from './index';
import { AUDIENCE, ISSUER, NOW, TENANT_ID, newKey, validPayload } from '../test/support/fixtures';

const input = {
  issuer: ISSUER,
  audience: AUDIENCE,
  subject: 'user-1',
  tenantId: TENANT_ID,
  ttlSeconds: 900,
};

function optionsFor(keys: VerifyOptions['keys']): VerifyOptions {
  return {
    issuer: ISSUER,
    audience: AUDIENCE,
    keys,
    currentDate: NOW,
    algorithms: [...ACCESS_TOKEN_ALGS],
  };
}

async function reasonOf(promise: Promise<unknown>): Promise<string | undefined> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TokenError);
  return (err as TokenError).reason;
}

describe('ES256 keys', () => {
  it('are P-256 with the RFC 7638 thumbprint as kid and no private members', async () => {
    const { generated, key } = await newKey('ES256');
    expect(generated.publicJwk).toEqual({
      kty: 'EC',
      crv: 'P-256',
      x: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      y: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      kid: generated.kid,
      alg: 'ES256',
      use: 'sig',
    });
    const { x, y } = generated.publicJwk as { x: string; y: string };
    expect(generated.kid).toBe(await calculateJwkThumbprint({ kty: 'EC', crv: 'P-256', x, y }));
    expect(key.alg).toBe('ES256');
    const details = createPublicKey(key.privateKey as KeyObject).asymmetricKeyDetails;
    expect(details?.namedCurve).toBe('prime256v1');
  });

  it('parse and publish as P-256 JWKs, and only with alg ES256', async () => {
    const { generated } = await newKey('ES256');
    expect(buildJwks([{ ...generated.publicJwk, d: 'secret' } as never]).keys).toEqual([
      generated.publicJwk,
    ]);
    const jwk = generated.publicJwk;
    expect(() => parsePublicJwk({ ...jwk, alg: 'ES384' })).toThrow(TypeError);
    expect(() => parsePublicJwk({ ...jwk, crv: 'P-384' })).toThrow(TypeError);
    expect(() => parsePublicJwk({ ...jwk, y: undefined })).toThrow(TypeError);
  });
});

describe.each(ACCESS_TOKEN_ALGS)('%s access tokens', (alg: AccessTokenAlg) => {
  it('round-trip with the header alg of the key', async () => {
    const { generated, key } = await newKey(alg);
    const { token, jti } = await signAccessToken(key, input, { now: NOW });
    expect(decodeProtectedHeader(token)).toEqual({ alg, kid: key.kid, typ: 'at+jwt' });
    const claims = await verifyAccessToken(token, optionsFor(buildJwks([generated.publicJwk])));
    expect(claims).toMatchObject({ sub: 'user-1', tid: TENANT_ID, jti });
  });

  it('are refused when a payload byte changes', async () => {
    const { generated, key } = await newKey(alg);
    const { token } = await signAccessToken(key, input, { now: NOW });
    const [header, , signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...validPayload(), sub: 'admin' })).toString(
      'base64url',
    );
    const tampered = `${header}.${forged}.${signature}`;
    expect(
      await reasonOf(verifyAccessToken(tampered, optionsFor(buildJwks([generated.publicJwk])))),
    ).toBe('signature_invalid');
  });

  it('are refused when the allow-list leaves the alg out', async () => {
    const { generated, key } = await newKey(alg);
    const { token } = await signAccessToken(key, input, { now: NOW });
    const others = ACCESS_TOKEN_ALGS.filter((other) => other !== alg);
    const options = { ...optionsFor(buildJwks([generated.publicJwk])), algorithms: others };
    expect(await reasonOf(verifyAccessToken(token, options))).toBe('alg_not_allowed');
  });

  it('verify with plain jose against the published JWKS', async () => {
    const { generated, key } = await newKey(alg);
    const { token } = await signAccessToken(key, input, { now: NOW });
    const jwks = JSON.parse(JSON.stringify(buildJwks([generated.publicJwk])));
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), {
      issuer: ISSUER,
      audience: AUDIENCE,
      typ: 'at+jwt',
      algorithms: [alg],
      currentDate: NOW,
    });
    expect(payload.sub).toBe('user-1');
  });
});

describe('no algorithm confusion between the three key types', () => {
  // Each pair: a token whose header claims `claimed`, under the kid of a published `published`
  // key, signed by a genuine key of the claimed type. The key's own alg must decide.
  const pairs = ACCESS_TOKEN_ALGS.flatMap((published) =>
    ACCESS_TOKEN_ALGS.filter((claimed) => claimed !== published).map(
      (claimed) => [published, claimed] as const,
    ),
  );

  it.each(pairs)('a %s key refuses a token whose header says %s', async (published, claimed) => {
    const { generated } = await newKey(published);
    const signer =
      claimed === 'EdDSA'
        ? generateKeyPairSync('ed25519').privateKey
        : claimed === 'ES256'
          ? generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
          : generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const token = await new SignJWT(validPayload())
      .setProtectedHeader({ alg: claimed, kid: generated.kid, typ: 'at+jwt' })
      .sign(signer);
    expect(
      await reasonOf(verifyAccessToken(token, optionsFor(buildJwks([generated.publicJwk])))),
    ).toBe('alg_key_mismatch');
  });

  it('an ES256 signature in DER form (what node:crypto gives by default) is refused', async () => {
    const { generated, key } = await newKey('ES256');
    const { token } = await signAccessToken(key, input, { now: NOW });
    const [header = '', payload = ''] = token.split('.');
    const der = sign('sha256', Buffer.from(`${header}.${payload}`), key.privateKey as KeyObject);
    const derToken = `${header}.${payload}.${der.toString('base64url')}`;
    expect(
      await reasonOf(verifyAccessToken(derToken, optionsFor(buildJwks([generated.publicJwk])))),
    ).toBe('signature_invalid');
  });
});

describe('ES256 ID tokens', () => {
  it('sign with at_hash over SHA-256 and verify as an id_token_hint', async () => {
    const { generated, key } = await newKey('ES256');
    const iat = Math.floor(NOW.getTime() / 1000);
    const idToken = await signIdToken(key, {
      iss: ISSUER,
      sub: 'user-1',
      aud: 'client-1',
      iat,
      exp: iat + 300,
      at_hash: atHashOf('access-token', 'ES256'),
    });
    expect(decodeProtectedHeader(idToken)).toMatchObject({ alg: 'ES256', typ: 'JWT' });
    expect(atHashOf('access-token', 'ES256')).toBe(atHashOf('access-token', 'RS256'));
    const hint = await verifyIdTokenHint(idToken, {
      issuer: ISSUER,
      keys: buildJwks([generated.publicJwk]),
    });
    expect(hint.sub).toBe('user-1');
  });
});
