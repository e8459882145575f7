import { CANONICAL_JWS, NOT_CANONICAL_JWS, respellings } from '@hellojohn/testing';
import { signAccessToken, TokenError, buildJwks, verifyAccessToken } from './index';
import type { VerifyOptions } from './index';
import { isCanonicalJws } from './canonical-jws';
import { AUDIENCE, ISSUER, NOW, TENANT_ID, newKey } from '../test/support/fixtures';

/**
 * @see issue 15 (6): a token string has exactly one accepted spelling. The vectors are shared
 * (@hellojohn/testing) with libs/sdk/test/canonical-jws.test.ts, which tests the other copy
 * of the check: the SDK keeps its own, because it must not depend on server libraries.
 */
describe('isCanonicalJws', () => {
  it.each(CANONICAL_JWS)('accepts %s', (token) => {
    expect(isCanonicalJws(token)).toBe(true);
  });

  it.each(NOT_CANONICAL_JWS)('refuses %s (%s)', (token) => {
    expect(isCanonicalJws(token)).toBe(false);
  });
});

describe('verifyAccessToken refuses non-canonical spellings of a valid token', () => {
  it.each(['EdDSA', 'RS256'] as const)('%s', async (alg) => {
    const { generated, key } = await newKey(alg);
    const options: VerifyOptions = {
      issuer: ISSUER,
      audience: AUDIENCE,
      keys: buildJwks([generated.publicJwk]),
      algorithms: ['EdDSA', 'RS256'],
      currentDate: NOW,
    };
    // Subjects of four lengths give payloads of every length mod 4, so each kind of last
    // character is exercised.
    const remainders = new Set<number>();
    for (const subject of ['u', 'us', 'use', 'user']) {
      const { token } = await signAccessToken(
        key,
        { issuer: ISSUER, audience: AUDIENCE, subject, tenantId: TENANT_ID, ttlSeconds: 900 },
        { now: NOW },
      );
      await expect(verifyAccessToken(token, options)).resolves.toMatchObject({ sub: subject });
      remainders.add((token.split('.')[1] ?? '').length % 4);
      for (const [variant, what] of respellings(token)) {
        const error: unknown = await verifyAccessToken(variant, options).then(
          () => new Error(`accepted with ${what}`),
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(TokenError);
        expect(error).toMatchObject({ code: 'token_invalid', reason: 'jws_not_canonical' });
      }
    }
    expect(remainders).toEqual(new Set([0, 2, 3]));
  });
});
