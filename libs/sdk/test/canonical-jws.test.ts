import { CANONICAL_JWS, NOT_CANONICAL_JWS, respellings } from '@hellojohn/testing';
import { createTokenVerifier, InvalidTokenError } from '../src/index';
import { isCanonicalJws } from '../src/verify/canonical-jws';
import { startJwksServer } from './support/jwks-server';
import type { JwksServer } from './support/jwks-server';
import { mint, newKey } from './support/keys';
import type { TestKey } from './support/keys';

/**
 * @see issue 15 (6): a token string has exactly one accepted spelling. The vectors are shared
 * (@hellojohn/testing) with libs/tokens/src/canonical-jws.test.ts, which tests the other copy
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

let server: JwksServer;
let key: TestKey;

beforeEach(async () => {
  key = await newKey();
  server = await startJwksServer([key.publicJwk]);
});
afterEach(async () => {
  await server.close();
});

describe('createTokenVerifier refuses non-canonical spellings of a valid token', () => {
  it('answers invalid_token (401) for each, without fetching keys', async () => {
    const verifier = createTokenVerifier({ tenantUrl: server.url, audience: server.url });
    const remainders = new Set<number>();
    for (const subject of ['u', 'us', 'use', 'user']) {
      const token = await mint(key, server.url, { subject });
      await expect(verifier.verify(token)).resolves.toMatchObject({ sub: subject });
      remainders.add((token.split('.')[1] ?? '').length % 4);
      const fetched = server.fetches();
      for (const [variant, what] of respellings(token)) {
        const error: unknown = await verifier.verify(variant).then(
          () => new Error(`accepted with ${what}`),
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(InvalidTokenError);
        expect(error).toMatchObject({ code: 'invalid_token', status: 401 });
        expect((error as InvalidTokenError).description).toMatch(/malformed/);
      }
      expect(server.fetches()).toBe(fetched);
    }
    expect(remainders).toEqual(new Set([0, 2, 3]));
  });
});
