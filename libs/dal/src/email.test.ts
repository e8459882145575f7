import { normalizeEmail } from './email';

describe('normalizeEmail', () => {
  it('trims, folds compatibility characters and lower-cases', () => {
    expect(normalizeEmail('  Ａda@Example.COM ')).toBe('ada@example.com');
  });

  it('keeps distinct addresses distinct', () => {
    expect(normalizeEmail('ada+1@example.com')).not.toBe(normalizeEmail('ada@example.com'));
  });
});
