import { buildJwks, generateSigningKey, parsePublicJwk } from './index';
import type { PublicJwk } from './index';
import { aadFor, newMasterKey } from '../test/support/fixtures';

describe('buildJwks', () => {
  it('publishes public members only, deduplicated by kid', async () => {
    const masterKey = newMasterKey();
    const ed = await generateSigningKey(masterKey, { aad: aadFor });
    const rsa = await generateSigningKey(masterKey, { aad: aadFor, alg: 'RS256' });
    const jwks = buildJwks([ed.publicJwk, rsa.publicJwk, ed.publicJwk]);
    expect(jwks.keys.map((k) => k.kid)).toEqual([ed.kid, rsa.kid]);
    expect(JSON.stringify(jwks)).not.toMatch(/"(d|p|q|dp|dq|qi)"/);
  });

  it('strips private members even if a private JWK slips in', async () => {
    const masterKey = newMasterKey();
    const ed = await generateSigningKey(masterKey, { aad: aadFor });
    const leaky = {
      ...ed.publicJwk,
      d: 'private-scalar',
      key_ops: ['sign'],
    } as unknown as PublicJwk;
    const [published] = buildJwks([leaky]).keys;
    expect(published).toEqual(ed.publicJwk);
    expect(published).not.toHaveProperty('d');
  });

  it('refuses keys it cannot publish', () => {
    expect(() =>
      buildJwks([{ kty: 'oct', k: 'c2VjcmV0', kid: 'x' } as unknown as PublicJwk]),
    ).toThrow(TypeError);
  });
});

describe('parsePublicJwk', () => {
  it('rejects a missing kid, wrong use or mismatched alg', () => {
    const base = { kty: 'OKP', crv: 'Ed25519', x: 'abc', alg: 'EdDSA', kid: 'k' };
    expect(parsePublicJwk(base)).toEqual({ ...base, use: 'sig' });
    expect(() => parsePublicJwk({ ...base, kid: undefined })).toThrow(TypeError);
    expect(() => parsePublicJwk({ ...base, use: 'enc' })).toThrow(TypeError);
    expect(() => parsePublicJwk({ ...base, alg: 'RS256' })).toThrow(TypeError);
    expect(() => parsePublicJwk(null)).toThrow(TypeError);
  });
});
