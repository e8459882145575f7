import { z } from 'zod';
import { boundedJson, safeText } from './bounded-json';

/**
 * @see issue 15 (5, 7): free-form JSON fields are bounded in depth, members and size, checked
 * without recursion before anything stringifies them; free text refuses NUL and lone surrogates.
 */
const nestedArrays = (depth: number): unknown =>
  JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);
const nested = (depth: number): Record<string, unknown> => {
  let value: Record<string, unknown> = {};
  for (let i = 1; i < depth; i += 1) value = { a: value };
  return value;
};

const Bounded = boundedJson({ maxDepth: 8, maxBytes: 1024, maxMembers: 16 });
const messages = (value: unknown): string[] =>
  Bounded.safeParse(value).error?.issues.map((issue) => issue.message) ?? [];

describe('boundedJson', () => {
  it('accepts an object up to the limits and returns it unchanged', () => {
    const value = { a: nested(7), b: [1, 'two', null, true, { c: 1.5 }] };
    expect(Bounded.parse(value)).toEqual(value);
    expect(Bounded.parse(nested(8))).toEqual(nested(8));
  });

  it.each([9, 4_000, 10_000, 100_000])('refuses %i levels without overflowing', (depth) => {
    expect(messages({ a: nestedArrays(depth - 1) })).toEqual([
      'must be nested at most 8 levels deep',
    ]);
  });

  it('counts the members of every object, at any depth', () => {
    const wide = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, i]));
    expect(messages(wide)).toEqual([]);
    expect(messages({ ...wide, k16: 16 })).toEqual(['must have at most 16 members']);
    expect(messages({ a: [{ ...wide }] })).toEqual(['must have at most 16 members']);
  });

  it('bounds the size as UTF-8 JSON', () => {
    expect(messages({ s: 'x'.repeat(1000) })).toEqual([]);
    expect(messages({ s: 'é'.repeat(600) })).toEqual(['must be at most 1024 bytes as JSON']);
  });

  it('refuses NUL and lone surrogates in keys and string values', () => {
    for (const value of [
      { a: 'x\u0000' },
      { a: ['\ud800'] },
      { 'a\u0000': 1 },
      { '\udfff': 1 },
      { a: { b: 'x\udc00y' } },
    ]) {
      expect(messages(value)).toEqual(['must not contain NUL characters or unpaired surrogates']);
    }
    expect(messages({ owl: '🦉' })).toEqual([]);
  });

  it('refuses what JSON cannot hold, and anything but an object at the top', () => {
    expect(messages({ a: Number.NaN })).toEqual(['must be JSON']);
    expect(messages({ a: () => 1 })).toEqual(['must be JSON']);
    expect(Bounded.safeParse([]).success).toBe(false);
    expect(Bounded.safeParse('x').success).toBe(false);
  });

  it('names the field it guards', () => {
    const Body = z.strictObject({ metadata: Bounded });
    const issues = Body.safeParse({ metadata: { a: nestedArrays(10_000) } }).error?.issues ?? [];
    expect(issues.map((issue) => issue.path)).toEqual([['metadata']]);
  });
});

describe('safeText', () => {
  const Name = safeText().trim().min(1).max(20);

  it('accepts text, astral characters included, and still applies the chained checks', () => {
    expect(Name.parse('  Ada 🦉 ')).toBe('Ada 🦉');
    expect(Name.safeParse('   ').success).toBe(false);
  });

  it.each(['Ada\u0000', '\ud800', 'a\udbffb', '\udc00Ada', 'Ada\ud83e'])('refuses %j', (value) => {
    expect(Name.safeParse(value).error?.issues.map((issue) => issue.message)).toEqual([
      'must not contain NUL characters or unpaired surrogates',
    ]);
  });
});

describe('safeText(schema) (issue 15)', () => {
  const Email = safeText(z.email().max(254));

  it('adds the refinement to a given string schema, its checks and JSON Schema kept', () => {
    expect(Email.parse('ada@example.com')).toBe('ada@example.com');
    expect(Email.safeParse('not an email').success).toBe(false);
    expect(z.toJSONSchema(Email)).toMatchObject({
      type: 'string',
      format: 'email',
      maxLength: 254,
    });
  });

  it('refuses NUL and lone surrogates: `x\ud800` and `x\udfff` must never be one value', () => {
    const Password = safeText().min(1);
    for (const value of ['abcdefghijkl\ud800', 'abcdefghijkl\udfff', 'abc\u0000def']) {
      expect(Password.safeParse(value).success).toBe(false);
    }
    expect(Email.safeParse('ada@example.com\u0000').success).toBe(false);
  });
});
