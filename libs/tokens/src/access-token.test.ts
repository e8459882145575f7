import { generateKeyPairSync } from 'node:crypto';
import { SignJWT, decodeProtectedHeader } from 'jose';
import { TokenError, buildJwks, signAccessToken, verifyAccessToken } from './index';
import type { PublicJwk, VerifyOptions } from './index';
import {
  AUDIENCE,
  ISSUER,
  NOW,
  TENANT_ID,
  forgeJwt,
  newKey,
  validPayload,
} from '../test/support/fixtures';

const input = {
  issuer: ISSUER,
  audience: AUDIENCE,
  subject: 'user-1',
  tenantId: TENANT_ID,
  sessionId: 'sess-1',
  scope: 'openid profile',
  ttlSeconds: 900,
};

async function setup() {
  const { generated, key } = await newKey();
  const options: VerifyOptions = {
    issuer: ISSUER,
    audience: AUDIENCE,
    keys: buildJwks([generated.publicJwk]),
    currentDate: NOW,
  };
  return { generated, key, options };
}

async function expectRejected(
  promise: Promise<unknown>,
  code: 'token_invalid' | 'token_expired',
  reason?: string,
): Promise<void> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TokenError);
  expect(err).toMatchObject({ code, ...(reason === undefined ? {} : { reason }) });
}

describe('signAccessToken + verifyAccessToken', () => {
  it('round-trips with the RFC 9068 header and the documented claims', async () => {
    const { key, options } = await setup();
    const signed = await signAccessToken(
      key,
      { ...input, extra: { org_id: 'org-9', permissions: ['a', 'b'] } },
      { now: NOW },
    );
    expect(decodeProtectedHeader(signed.token)).toEqual({
      alg: 'EdDSA',
      kid: key.kid,
      typ: 'at+jwt',
    });
    expect(signed.expiresAt).toEqual(new Date(NOW.getTime() + 900_000));
    expect(signed.jti).toMatch(/^[0-9a-f-]{36}$/);

    const claims = await verifyAccessToken(signed.token, options);
    const iat = NOW.getTime() / 1000;
    expect(claims).toEqual({
      iss: ISSUER,
      sub: 'user-1',
      aud: AUDIENCE,
      iat,
      exp: iat + 900,
      jti: signed.jti,
      tid: TENANT_ID,
      sid: 'sess-1',
      scope: 'openid profile',
      org_id: 'org-9',
      permissions: ['a', 'b'],
    });
    expect(claims).not.toHaveProperty('nbf');
  });

  it('signs the very bytes jose SignJWT would (Ed25519 is deterministic), header and claim order included', async () => {
    const { key } = await setup();
    const { token } = await signAccessToken(
      key,
      { ...input, extra: { client_id: 'hjc_1' } },
      { now: NOW },
    );
    const [header = '', payload = ''] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    expect(Object.keys(claims)).toEqual([
      'client_id',
      'tid',
      'sid',
      'scope',
      'iss',
      'sub',
      'aud',
      'iat',
      'exp',
      'jti',
    ]);
    const viaJose = await new SignJWT({
      client_id: 'hjc_1',
      tid: TENANT_ID,
      sid: 'sess-1',
      scope: 'openid profile',
    })
      .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'at+jwt' })
      .setIssuer(ISSUER)
      .setSubject('user-1')
      .setAudience(AUDIENCE)
      .setIssuedAt(claims.iat as number)
      .setExpirationTime(claims.exp as number)
      .setJti(claims.jti as string)
      .sign(key.privateKey);
    expect(token).toBe(viaJose);
    expect(header).toBe(viaJose.split('.')[0]);
  });

  it('refuses an audience that is not a string or an array of strings', async () => {
    const { key } = await setup();
    const bad = { ...input, audience: [1] as unknown as string[] };
    await expect(signAccessToken(key, bad)).rejects.toThrow(TypeError);
  });

  it('omits sid and scope when not given and accepts an audience array', async () => {
    const { key, options } = await setup();
    const { token } = await signAccessToken(
      key,
      {
        issuer: ISSUER,
        audience: [AUDIENCE, 'api'],
        subject: 'u',
        tenantId: TENANT_ID,
        ttlSeconds: 60,
      },
      { now: NOW },
    );
    const claims = await verifyAccessToken(token, options);
    expect(claims.aud).toEqual([AUDIENCE, 'api']);
    expect(claims).not.toHaveProperty('sid');
    expect(claims).not.toHaveProperty('scope');
  });

  it('carries amr and acr when given, omits an empty amr, and refuses a malformed amr', async () => {
    const { key, generated, options } = await setup();
    const signed = await signAccessToken(
      key,
      { ...input, amr: ['pwd', 'otp', 'mfa'], acr: 'urn:hellojohn:loa:2' },
      { now: NOW },
    );
    const claims = await verifyAccessToken(signed.token, options);
    expect(claims.amr).toEqual(['pwd', 'otp', 'mfa']);
    expect(claims.acr).toBe('urn:hellojohn:loa:2');
    const bare = await signAccessToken(key, { ...input, amr: [] }, { now: NOW });
    expect(await verifyAccessToken(bare.token, options)).not.toHaveProperty('amr');
    await expect(
      signAccessToken(key, { ...input, extra: { amr: ['x'] } }, { now: NOW }),
    ).rejects.toThrow(TypeError);
    const malformed = await new SignJWT(validPayload({ amr: 'pwd' }))
      .setProtectedHeader({ alg: 'EdDSA', kid: generated.kid, typ: 'at+jwt' })
      .sign(key.privateKey);
    await expectRejected(
      verifyAccessToken(malformed, options),
      'token_invalid',
      'claim_amr_invalid',
    );
  });

  it('works with RS256 keys when the verifier allows RS256', async () => {
    const { generated, key } = await newKey('RS256');
    const { token } = await signAccessToken(key, input, { now: NOW });
    const keys = buildJwks([generated.publicJwk]);
    const claims = await verifyAccessToken(token, {
      issuer: ISSUER,
      audience: AUDIENCE,
      keys,
      currentDate: NOW,
      algorithms: ['EdDSA', 'RS256'],
    });
    expect(claims.sub).toBe('user-1');
    // The default allow-list is EdDSA only.
    await expectRejected(
      verifyAccessToken(token, { issuer: ISSUER, audience: AUDIENCE, keys, currentDate: NOW }),
      'token_invalid',
      'alg_not_allowed',
    );
  });

  it('resolves keys through a kid lookup function', async () => {
    const { generated, key, options } = await setup();
    const lookups: string[] = [];
    const keys = (kid: string): Promise<PublicJwk | undefined> => {
      lookups.push(kid);
      return Promise.resolve(kid === generated.kid ? generated.publicJwk : undefined);
    };
    const { token } = await signAccessToken(key, input, { now: NOW });
    await expect(verifyAccessToken(token, { ...options, keys })).resolves.toMatchObject({
      sub: 'user-1',
    });
    expect(lookups).toEqual([generated.kid]);
  });

  it('refuses extra claims that shadow registered ones, and bad inputs', async () => {
    const { key } = await setup();
    for (const claim of ['sub', 'tid', 'exp', 'iss', 'aud', 'jti', 'scope', 'sid', 'nbf', 'iat']) {
      await expect(signAccessToken(key, { ...input, extra: { [claim]: 'x' } })).rejects.toThrow(
        TypeError,
      );
    }
    await expect(signAccessToken(key, { ...input, ttlSeconds: 0 })).rejects.toThrow(RangeError);
    await expect(signAccessToken(key, { ...input, tenantId: '' })).rejects.toThrow(TypeError);
  });

  it('accepts typ application/at+jwt (RFC 8725 §3.11 media type form)', async () => {
    const { generated, key, options } = await setup();
    const token = await new SignJWT(validPayload())
      .setProtectedHeader({ alg: 'EdDSA', kid: generated.kid, typ: 'application/AT+JWT' })
      .sign(key.privateKey);
    await expect(verifyAccessToken(token, options)).resolves.toMatchObject({ tid: TENANT_ID });
  });
});

describe('verifyAccessToken rejects attacks', () => {
  it('alg: none', async () => {
    const { generated, options } = await setup();
    const token = forgeJwt({ alg: 'none', kid: generated.kid, typ: 'at+jwt' }, validPayload());
    await expectRejected(verifyAccessToken(token, options), 'token_invalid', 'alg_not_allowed');
  });

  it('HS256 signed with the public key as the HMAC secret', async () => {
    const { generated, options } = await setup();
    const jwk = generated.publicJwk as { x: string };
    const secrets = [
      Buffer.from(jwk.x, 'base64url'),
      Buffer.from(JSON.stringify(generated.publicJwk)),
      Buffer.from(jwk.x),
    ];
    for (const secret of secrets) {
      const token = await new SignJWT(validPayload())
        .setProtectedHeader({ alg: 'HS256', kid: generated.kid, typ: 'at+jwt' })
        .sign(secret);
      await expectRejected(verifyAccessToken(token, options), 'token_invalid', 'alg_not_allowed');
      // Even if a caller smuggles HS256 into the allow-list, it is filtered out.
      const smuggled = { ...options, algorithms: ['EdDSA', 'HS256'] as unknown as ['EdDSA'] };
      await expectRejected(verifyAccessToken(token, smuggled), 'token_invalid', 'alg_not_allowed');
    }
  });

  it('an allow-list with no supported algorithm is a programming error', async () => {
    const { options } = await setup();
    const bad = { ...options, algorithms: ['HS256'] as unknown as ['EdDSA'] };
    await expect(verifyAccessToken('a.b.c', bad)).rejects.toThrow(TypeError);
  });

  it('unknown kid', async () => {
    const { key, options } = await setup();
    const { token } = await signAccessToken({ ...key, kid: 'not-in-jwks' }, input, { now: NOW });
    await expectRejected(verifyAccessToken(token, options), 'token_invalid', 'kid_unknown');
  });

  it('missing kid', async () => {
    const { key, options } = await setup();
    const token = await new SignJWT(validPayload())
      .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt' })
      .sign(key.privateKey);
    await expectRejected(verifyAccessToken(token, options), 'token_invalid', 'kid_missing');
  });

  it('wrong iss', async () => {
    const { key, options } = await setup();
    const { token } = await signAccessToken(
      key,
      { ...input, issuer: 'https://evil.test' },
      { now: NOW },
    );
    await expectRejected(
      verifyAccessToken(token, options),
      'token_invalid',
      'claim_iss_check_failed',
    );
  });

  it('wrong aud', async () => {
    const { key, options } = await setup();
    const { token } = await signAccessToken(key, { ...input, audience: 'other' }, { now: NOW });
    await expectRejected(
      verifyAccessToken(token, options),
      'token_invalid',
      'claim_aud_check_failed',
    );
  });

  it('wrong or missing typ', async () => {
    const { generated, key, options } = await setup();
    for (const typ of ['JWT', 'application/jwt', 'dpop+jwt', undefined]) {
      const token = await new SignJWT(validPayload())
        .setProtectedHeader({ alg: 'EdDSA', kid: generated.kid, ...(typ ? { typ } : {}) })
        .sign(key.privateKey);
      await expectRejected(
        verifyAccessToken(token, options),
        'token_invalid',
        'claim_typ_check_failed',
      );
    }
  });

  it('expired, and honours the clock tolerance', async () => {
    const { key, options } = await setup();
    const { token } = await signAccessToken(key, { ...input, ttlSeconds: 60 }, { now: NOW });
    const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);
    await expect(
      verifyAccessToken(token, { ...options, currentDate: at(64) }),
    ).resolves.toBeTruthy();
    await expectRejected(
      verifyAccessToken(token, { ...options, currentDate: at(65) }),
      'token_expired',
    );
    await expectRejected(
      verifyAccessToken(token, { ...options, currentDate: at(61), clockToleranceSeconds: 0 }),
      'token_expired',
    );
  });

  it('issued in the future beyond the tolerance', async () => {
    const { key, options } = await setup();
    const { token } = await signAccessToken(key, input, { now: new Date(NOW.getTime() + 60_000) });
    await expectRejected(verifyAccessToken(token, options), 'token_invalid', 'claim_iat_in_future');
  });

  it('a token from another key carrying the same kid', async () => {
    const { generated, options } = await setup();
    const { key: otherKey } = await newKey();
    const { token } = await signAccessToken({ ...otherKey, kid: generated.kid }, input, {
      now: NOW,
    });
    await expectRejected(verifyAccessToken(token, options), 'token_invalid', 'signature_invalid');
  });

  it('a key published for another alg than the token header claims', async () => {
    const { generated, options } = await setup();
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const token = await new SignJWT(validPayload())
      .setProtectedHeader({ alg: 'RS256', kid: generated.kid, typ: 'at+jwt' })
      .sign(rsa);
    await expectRejected(
      verifyAccessToken(token, { ...options, algorithms: ['EdDSA', 'RS256'] }),
      'token_invalid',
      'alg_key_mismatch',
    );
  });

  it.each([
    ['tid', 'claim_tid_missing'],
    ['sub', 'claim_sub_missing'],
    ['jti', 'claim_jti_missing'],
    ['exp', 'claim_exp_missing'],
    ['iat', 'claim_iat_missing'],
  ])('missing %s', async (claim, reason) => {
    const { generated, key, options } = await setup();
    const payload = Object.fromEntries(
      Object.entries(validPayload()).filter(([name]) => name !== claim),
    );
    const token = await new SignJWT(payload)
      .setProtectedHeader({ alg: 'EdDSA', kid: generated.kid, typ: 'at+jwt' })
      .sign(key.privateKey);
    await expectRejected(verifyAccessToken(token, options), 'token_invalid', reason);
  });

  it.each([
    ['tid', 42],
    ['sub', ''],
    ['sid', 7],
    ['scope', ['openid']],
  ])('non-string %s', async (claim, value) => {
    const { generated, key, options } = await setup();
    const token = await new SignJWT(validPayload({ [claim]: value }))
      .setProtectedHeader({ alg: 'EdDSA', kid: generated.kid, typ: 'at+jwt' })
      .sign(key.privateKey);
    await expectRejected(verifyAccessToken(token, options), 'token_invalid');
  });

  it('garbage', async () => {
    const { options } = await setup();
    for (const token of ['', 'not-a-jwt', 'a.b.c', 'e30.e30.']) {
      await expectRejected(verifyAccessToken(token, options), 'token_invalid');
    }
  });
});
