import { isUuid, timeOrderedUuid } from './ids';

describe('timeOrderedUuid', () => {
  it('makes version-7 UUIDs that sort in creation order, even within one millisecond', () => {
    const ms = Date.now() + 60_000;
    const ids = Array.from({ length: 5000 }, () => timeOrderedUuid(ms));
    for (const id of ids) {
      expect(isUuid(id)).toBe(true);
      expect(id[14]).toBe('7');
      expect('89ab').toContain(id[19]);
    }
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    // A later millisecond still sorts after the borrowed ones.
    expect(timeOrderedUuid(ms + 1000) > ids.at(-1)!).toBe(true);
  });

  it('carries the millisecond in its first 48 bits', () => {
    const ms = Date.now() + 120_000;
    const id = timeOrderedUuid(ms);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(ms);
  });
});
