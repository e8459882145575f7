import { createHash, generateKeyPairSync } from 'node:crypto';
import { SignJWT, decodeProtectedHeader } from 'jose';
import {
  TokenError,
  atHashOf,
  buildJwks,
  signAccessToken,
  signIdToken,
  verifyIdTokenHint,
} from './index';
import type { IdTokenClaims, IdTokenHintOptions, PublicJwk, SigningAlg } from './index';
import { AUDIENCE, ISSUER, NOW, TENANT_ID, forgeJwt, newKey } from '../test/support/fixtures';

const IAT = Math.floor(NOW.getTime() / 1000);

function claimsOf(overrides: Partial<IdTokenClaims> = {}): IdTokenClaims {
  return {
    iss: ISSUER,
    sub: 'user-1',
    aud: AUDIENCE,
    iat: IAT,
    exp: IAT + 300,
    azp: AUDIENCE,
    auth_time: IAT - 10,
    nonce: 'n-1',
    sid: 'browser-1',
    ...overrides,
  };
}

async function setup(alg: SigningAlg = 'RS256') {
  const { generated, key } = await newKey(alg);
  const options: IdTokenHintOptions = { issuer: ISSUER, keys: buildJwks([generated.publicJwk]) };
  return { generated, key, options };
}

async function expectInvalid(promise: Promise<unknown>, reason?: string): Promise<void> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TokenError);
  expect(err).toMatchObject({
    code: 'token_invalid',
    ...(reason === undefined ? {} : { reason }),
  });
}

describe('atHashOf', () => {
  it('is the left half of the alg’s hash, base64url (OIDC Core §3.1.3.6)', () => {
    const sha256 = createHash('sha256').update('token').digest();
    const sha512 = createHash('sha512').update('token').digest();
    expect(atHashOf('token', 'RS256')).toBe(sha256.subarray(0, 16).toString('base64url'));
    expect(atHashOf('token', 'EdDSA')).toBe(sha512.subarray(0, 32).toString('base64url'));
  });
});

describe('signIdToken + verifyIdTokenHint', () => {
  it.each<SigningAlg>(['RS256', 'EdDSA', 'ES256'])(
    'round-trips with header { alg, kid, typ: JWT } (%s)',
    async (alg) => {
      const { key, options } = await setup(alg);
      const token = await signIdToken(key, claimsOf());
      expect(decodeProtectedHeader(token)).toEqual({ alg, kid: key.kid, typ: 'JWT' });
      await expect(verifyIdTokenHint(token, options)).resolves.toEqual(claimsOf());
    },
  );

  it('accepts an expired ID token (RP-Initiated Logout 1.0 §2)', async () => {
    const { key, options } = await setup();
    const token = await signIdToken(key, claimsOf({ iat: IAT - 86_400, exp: IAT - 86_000 }));
    await expect(verifyIdTokenHint(token, options)).resolves.toMatchObject({
      sub: 'user-1',
      exp: IAT - 86_000,
    });
  });

  it('resolves keys through a kid lookup function', async () => {
    const { generated, key } = await setup('EdDSA');
    const lookups: string[] = [];
    const keys = (kid: string): Promise<PublicJwk | undefined> => {
      lookups.push(kid);
      return Promise.resolve(kid === generated.kid ? generated.publicJwk : undefined);
    };
    const token = await signIdToken(key, claimsOf({ aud: [AUDIENCE, 'other'] }));
    await expect(verifyIdTokenHint(token, { issuer: ISSUER, keys })).resolves.toMatchObject({
      aud: [AUDIENCE, 'other'],
    });
    expect(lookups).toEqual([generated.kid]);
  });

  it('refuses claims no ID token may carry', async () => {
    const { key } = await setup('EdDSA');
    await expect(signIdToken(key, claimsOf({ iss: '' }))).rejects.toThrow(TypeError);
    await expect(signIdToken(key, claimsOf({ sub: '' }))).rejects.toThrow(TypeError);
    await expect(signIdToken(key, claimsOf({ aud: [] }))).rejects.toThrow(TypeError);
    await expect(signIdToken(key, claimsOf({ exp: IAT }))).rejects.toThrow(RangeError);
    await expect(signIdToken(key, claimsOf({ iat: 1.5 }))).rejects.toThrow(RangeError);
  });
});

describe('verifyIdTokenHint rejects', () => {
  it('a forged signature (another key carrying the published kid)', async () => {
    const { generated, options } = await setup();
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = await new SignJWT(claimsOf())
      .setProtectedHeader({ alg: 'RS256', kid: generated.kid, typ: 'JWT' })
      .sign(privateKey);
    await expectInvalid(verifyIdTokenHint(forged, options), 'signature_invalid');
  });

  it('a tampered payload', async () => {
    const { key, options } = await setup('EdDSA');
    const [header, , signature] = (await signIdToken(key, claimsOf())).split('.');
    const payload = Buffer.from(JSON.stringify(claimsOf({ sub: 'admin' }))).toString('base64url');
    await expectInvalid(
      verifyIdTokenHint(`${header}.${payload}.${signature}`, options),
      'signature_invalid',
    );
  });

  it('a wrong issuer (another tenant’s token)', async () => {
    const { key, options } = await setup();
    const token = await signIdToken(key, claimsOf({ iss: `${ISSUER}-other` }));
    await expectInvalid(verifyIdTokenHint(token, options), 'claim_iss_check_failed');
  });

  it('an access token (typ at+jwt), and a token with no or another typ', async () => {
    const { key, options } = await setup('EdDSA');
    const { token } = await signAccessToken(
      key,
      {
        issuer: ISSUER,
        audience: AUDIENCE,
        subject: 'user-1',
        tenantId: TENANT_ID,
        ttlSeconds: 60,
      },
      { now: NOW },
    );
    await expectInvalid(verifyIdTokenHint(token, options), 'typ_invalid');
    for (const typ of [undefined, 'application/jwt', 'jwt', 'logout+jwt']) {
      const other = await new SignJWT(claimsOf())
        .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, ...(typ ? { typ } : {}) })
        .sign(key.privateKey);
      await expectInvalid(verifyIdTokenHint(other, options), 'typ_invalid');
    }
  });

  it('alg none and HS256 (the public key as HMAC secret)', async () => {
    const { generated, options } = await setup('EdDSA');
    const none = forgeJwt({ alg: 'none', kid: generated.kid, typ: 'JWT' }, claimsOf());
    await expectInvalid(verifyIdTokenHint(none, options), 'alg_not_allowed');
    const jwk = generated.publicJwk as { x: string };
    for (const secret of [Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.x)]) {
      const hs256 = await new SignJWT(claimsOf())
        .setProtectedHeader({ alg: 'HS256', kid: generated.kid, typ: 'JWT' })
        .sign(secret);
      await expectInvalid(verifyIdTokenHint(hs256, options), 'alg_not_allowed');
    }
  });

  it('a header alg other than the published key’s', async () => {
    const { generated: rsa } = await setup('RS256');
    const { key: ed } = await setup('EdDSA');
    // The Ed25519 key signs under the RSA key's kid: the key's alg (RS256) decides.
    const token = await signIdToken({ ...ed, kid: rsa.kid }, claimsOf());
    await expectInvalid(
      verifyIdTokenHint(token, { issuer: ISSUER, keys: buildJwks([rsa.publicJwk]) }),
      'alg_key_mismatch',
    );
  });

  it('an unknown or missing kid', async () => {
    const { key, options } = await setup();
    const unknown = await signIdToken({ ...key, kid: 'not-published' }, claimsOf());
    await expectInvalid(verifyIdTokenHint(unknown, options), 'kid_unknown');
    const missing = await new SignJWT(claimsOf())
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
      .sign(key.privateKey);
    await expectInvalid(verifyIdTokenHint(missing, options), 'kid_missing');
  });

  it('a non-canonical spelling of a valid token', async () => {
    const { key, options } = await setup('EdDSA');
    const token = await signIdToken(key, claimsOf());
    await expectInvalid(verifyIdTokenHint(`${token}=`, options), 'jws_not_canonical');
    await expectInvalid(verifyIdTokenHint(` ${token}`, options), 'jws_not_canonical');
  });

  it('a validly signed payload without sub or aud, or with a bad sid', async () => {
    const { key, options } = await setup('EdDSA');
    const cases: [Record<string, unknown>, string][] = [
      [{ sub: undefined }, 'claim_sub_missing'],
      [{ aud: undefined }, 'claim_aud_invalid'],
      [{ aud: [AUDIENCE, 3] }, 'claim_aud_invalid'],
      [{ sid: 42 }, 'claim_sid_invalid'],
    ];
    for (const [claims, reason] of cases) {
      const token = await new SignJWT({ ...claimsOf(), ...claims })
        .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'JWT' })
        .sign(key.privateKey);
      await expectInvalid(verifyIdTokenHint(token, options), reason);
    }
  });

  it('garbage', async () => {
    const { options } = await setup();
    for (const token of ['', 'garbage', 'a.b.c', 'a.b', '..', 'eyJhbGciOiJIUzI1NiJ9.e30.']) {
      await expectInvalid(verifyIdTokenHint(token, options));
    }
  });
});
