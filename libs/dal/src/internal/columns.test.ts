import { dbBool, dbInt, toDate } from './columns';

describe('column normalisation', () => {
  const instant = new Date('2026-01-02T03:04:05.678Z');

  it('reads every driver’s time representation as the same Date', () => {
    expect(toDate(instant)).toBe(instant);
    expect(toDate(instant.getTime())).toEqual(instant);
    expect(toDate(BigInt(instant.getTime()))).toEqual(instant);
    expect(toDate(String(instant.getTime()))).toEqual(instant);
    expect(toDate('2026-01-02 03:04:05.678')).toEqual(instant);
    expect(toDate('2026-01-02T03:04:05.678Z')).toEqual(instant);
    expect(() => toDate('yesterday')).toThrow();
  });

  it('reads booleans and integers', () => {
    expect([true, 1, '1', false, 0, '0'].map((v) => dbBool.parse(v))).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
    expect(dbInt.parse('42')).toBe(42);
    expect(dbInt.parse(7n)).toBe(7);
  });
});
