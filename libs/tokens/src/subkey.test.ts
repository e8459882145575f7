import { hkdfSync, randomBytes } from 'node:crypto';
import { deriveSubkey } from './index';

/** @see issue 15 (7): pagination cursors are signed with a key derived from the master key. */
describe('deriveSubkey', () => {
  const master = randomBytes(32);

  it('derives a stable 32-byte key per purpose (HKDF-SHA256)', () => {
    const key = deriveSubkey(master, 'pagination-cursor:data-plane');
    expect(key).toHaveLength(32);
    expect(deriveSubkey(Buffer.from(master), 'pagination-cursor:data-plane')).toEqual(key);
    expect(deriveSubkey(master, 'pagination-cursor:control-plane')).not.toEqual(key);
    expect(deriveSubkey(randomBytes(32), 'pagination-cursor:data-plane')).not.toEqual(key);
    expect(key).not.toEqual(master);
  });

  it('matches RFC 5869 HKDF with an empty salt and the purpose, namespaced, as info', () => {
    const zeros = Buffer.alloc(32);
    const expected = Buffer.from(hkdfSync('sha256', zeros, Buffer.alloc(0), 'hellojohn:x', 32));
    expect(deriveSubkey(zeros, 'x')).toEqual(expected);
  });

  it('refuses a master key that is not 32 bytes, and an empty purpose', () => {
    expect(() => deriveSubkey(randomBytes(16), 'p')).toThrow(TypeError);
    expect(() => deriveSubkey(master, '')).toThrow(TypeError);
  });
});
