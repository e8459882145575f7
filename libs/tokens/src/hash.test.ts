import {
  generateOpaqueSecret,
  generateRefreshToken,
  hashRefreshToken,
  safeEqual,
  sha256Hex,
} from './index';

describe('sha256Hex', () => {
  it('matches the FIPS 180-2 test vector', () => {
    expect(sha256Hex('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});

describe('safeEqual', () => {
  it('is true only for identical strings, whatever the lengths', () => {
    expect(safeEqual('secret', 'secret')).toBe(true);
    expect(safeEqual('secret', 'secreT')).toBe(false);
    expect(safeEqual('secret', 'secret-longer')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
    expect(safeEqual('', 'x')).toBe(false);
  });
});

describe('generateRefreshToken', () => {
  it('has the hjrt_ prefix, 256 bits of randomness and a SHA-256 hex hash of the whole token', () => {
    const { token, hash } = generateRefreshToken();
    expect(token).toMatch(/^hjrt_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token.slice(5), 'base64url')).toHaveLength(32);
    expect(hash).toBe(sha256Hex(token));
    expect(hashRefreshToken(token)).toBe(hash);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('never repeats', () => {
    const tokens = new Set(Array.from({ length: 200 }, () => generateRefreshToken().token));
    expect(tokens.size).toBe(200);
  });
});

describe('generateOpaqueSecret', () => {
  it('uses the prefix and byte count', () => {
    const { token, hash } = generateOpaqueSecret('hjcs_', 48);
    expect(token.startsWith('hjcs_')).toBe(true);
    expect(Buffer.from(token.slice(5), 'base64url')).toHaveLength(48);
    expect(hash).toBe(sha256Hex(token));
  });

  it('refuses fewer than 128 bits', () => {
    expect(() => generateOpaqueSecret('x_', 8)).toThrow(RangeError);
    expect(() => generateOpaqueSecret('x_', 16.5)).toThrow(RangeError);
  });
});
