import { generateOpaqueSecret, generateRefreshToken, REFRESH_TOKEN_PATTERN } from './opaque-secret';

describe('REFRESH_TOKEN_PATTERN', () => {
  it('matches every refresh token generateRefreshToken mints', () => {
    for (let i = 0; i < 500; i++) {
      expect(generateRefreshToken().token).toMatch(REFRESH_TOKEN_PATTERN);
    }
  });

  it('refuses what was never minted: other prefixes, characters, NUL and lone surrogates', () => {
    const token = generateRefreshToken().token;
    for (const other of [
      generateOpaqueSecret('hjcs_').token,
      'hjrt_',
      `${token}=`,
      `${token}\u0000`,
      `${token}\ud800`,
      `${token.slice(0, -1)}\udfff`,
      `${token} `,
      `hjrt_${'A'.repeat(508)}`,
    ]) {
      expect(other).not.toMatch(REFRESH_TOKEN_PATTERN);
    }
  });
});
