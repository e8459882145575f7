import { randomBytes } from 'node:crypto';
import { TokenError, decryptSecret, encryptSecret } from './index';

const masterKey = randomBytes(32);
const AAD = 'tenant:t1:signing-key:k1';

function flipChar(sealed: string, partIndex: number): string {
  const parts = sealed.split('.');
  const part = parts[partIndex]!;
  const first = part[0] === 'A' ? 'B' : 'A';
  parts[partIndex] = first + part.slice(1);
  return parts.join('.');
}

function expectUndecryptable(fn: () => unknown, reason?: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(TokenError);
  expect(caught).toMatchObject({ code: 'secret_undecryptable', ...(reason ? { reason } : {}) });
}

describe('encryptSecret / decryptSecret', () => {
  it('round-trips strings and buffers, with and without aad', () => {
    const bytes = randomBytes(100);
    expect(decryptSecret(masterKey, encryptSecret(masterKey, bytes, AAD), AAD)).toEqual(bytes);
    const sealed = encryptSecret(masterKey, 'héllo wörld');
    expect(decryptSecret(masterKey, sealed).toString('utf8')).toBe('héllo wörld');
    expect(decryptSecret(masterKey, encryptSecret(masterKey, ''), undefined).length).toBe(0);
  });

  it('produces a versioned string with a fresh 12-byte IV each time', () => {
    const a = encryptSecret(masterKey, 'same', AAD);
    const b = encryptSecret(masterKey, 'same', AAD);
    expect(a).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
    expect(a.split('.')[1]).not.toBe(b.split('.')[1]);
  });

  it('rejects a tampered iv, tag or ciphertext', () => {
    const sealed = encryptSecret(masterKey, 'secret value', AAD);
    for (const part of [1, 2, 3]) {
      expectUndecryptable(() => decryptSecret(masterKey, flipChar(sealed, part), AAD));
    }
  });

  it('rejects non-canonical base64url that would decode to the same bytes', () => {
    const sealed = encryptSecret(masterKey, 'secret value', AAD);
    expectUndecryptable(() => decryptSecret(masterKey, `${sealed}=`, AAD), 'malformed_part');
    expectUndecryptable(() => decryptSecret(masterKey, `${sealed}!`, AAD), 'malformed_part');
  });

  it('rejects the wrong aad, a missing aad and an added aad', () => {
    const sealed = encryptSecret(masterKey, 'secret value', AAD);
    expectUndecryptable(() => decryptSecret(masterKey, sealed, 'tenant:t2:signing-key:k1'));
    expectUndecryptable(() => decryptSecret(masterKey, sealed));
    const noAad = encryptSecret(masterKey, 'secret value');
    expectUndecryptable(() => decryptSecret(masterKey, noAad, AAD), 'authentication_failed');
  });

  it('rejects the wrong master key', () => {
    const sealed = encryptSecret(masterKey, 'secret value', AAD);
    expectUndecryptable(() => decryptSecret(randomBytes(32), sealed, AAD), 'authentication_failed');
  });

  it('rejects unknown versions and shapes', () => {
    const sealed = encryptSecret(masterKey, 'x', AAD);
    expectUndecryptable(() => decryptSecret(masterKey, sealed.replace(/^v1/, 'v2'), AAD));
    expectUndecryptable(() => decryptSecret(masterKey, 'v1.abc.def', AAD), 'unknown_format');
    expectUndecryptable(() => decryptSecret(masterKey, 'v1.AAAA.AAAA.AAAA', AAD), 'malformed_part');
  });

  it('requires a 32-byte master key', () => {
    expect(() => encryptSecret(randomBytes(16), 'x')).toThrow(TypeError);
    expect(() => encryptSecret(randomBytes(33), 'x')).toThrow(TypeError);
    expect(() => decryptSecret(randomBytes(31), 'v1.a.b.c')).toThrow(TypeError);
  });
});
