import { createPasswordHasher } from './password-hasher';

describe('createPasswordHasher', () => {
  const hasher = createPasswordHasher(4);

  it('verifies the right password and rejects a wrong one', async () => {
    const hash = await hasher.hash('correct horse battery staple');
    expect(hash).toMatch(/^\$2[aby]\$04\$/);
    await expect(hasher.verify('correct horse battery staple', hash)).resolves.toBe(true);
    await expect(hasher.verify('correct horse battery stapl', hash)).resolves.toBe(false);
  });

  it('never verifies against a missing hash', async () => {
    await expect(hasher.verify('hellojohn-dummy-password-for-timing', undefined)).resolves.toBe(
      false,
    );
  });

  it('does not truncate passwords longer than 72 bytes', async () => {
    const base = 'x'.repeat(80);
    const hash = await hasher.hash(`${base}A`);
    await expect(hasher.verify(`${base}B`, hash)).resolves.toBe(false);
  });

  it('treats Unicode-equivalent passwords as equal (NFKC)', async () => {
    const hash = await hasher.hash('caf\u00e9 au lait 12');
    await expect(hasher.verify('cafe\u0301 au lait 12', hash)).resolves.toBe(true);
  });
});
