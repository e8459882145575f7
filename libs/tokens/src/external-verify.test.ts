import { createLocalJWKSet, jwtVerify } from 'jose';
import { buildJwks, signAccessToken } from './index';
import { AUDIENCE, ISSUER, NOW, TENANT_ID, newKey } from '../test/support/fixtures';

// An outside backend knows nothing of this library: it fetches the JWKS and uses jose directly.
describe('verification by an outside backend with plain jose', () => {
  it('verifies our token against the published JWKS', async () => {
    const ed = await newKey();
    const rsa = await newKey('RS256');
    const jwks = JSON.parse(
      JSON.stringify(buildJwks([ed.generated.publicJwk, rsa.generated.publicJwk])),
    );
    const { token, jti } = await signAccessToken(
      ed.key,
      {
        issuer: ISSUER,
        audience: AUDIENCE,
        subject: 'user-1',
        tenantId: TENANT_ID,
        ttlSeconds: 900,
      },
      { now: NOW },
    );

    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(jwks), {
      issuer: ISSUER,
      audience: AUDIENCE,
      typ: 'at+jwt',
      algorithms: ['EdDSA'],
      currentDate: NOW,
    });
    expect(protectedHeader).toEqual({ alg: 'EdDSA', kid: ed.generated.kid, typ: 'at+jwt' });
    expect(payload).toMatchObject({ sub: 'user-1', tid: TENANT_ID, jti });
  });

  it('rejects a token signed by a key not in the JWKS', async () => {
    const published = await newKey();
    const other = await newKey();
    const { token } = await signAccessToken(
      other.key,
      { issuer: ISSUER, audience: AUDIENCE, subject: 'u', tenantId: TENANT_ID, ttlSeconds: 900 },
      { now: NOW },
    );
    await expect(
      jwtVerify(token, createLocalJWKSet(buildJwks([published.generated.publicJwk])), {
        currentDate: NOW,
      }),
    ).rejects.toMatchObject({ code: 'ERR_JWKS_NO_MATCHING_KEY' });
  });
});
