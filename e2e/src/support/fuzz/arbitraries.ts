import fc from 'fast-check';
import { resolveRef, type JsonSchema } from './openapi-model';

/**
 * JSON Schema (2020-12, as zod's `toJSONSchema` writes it) -> fast-check arbitrary of values the
 * schema accepts. Covers `type` (and type lists), `const`, `enum`, `anyOf`/`oneOf`/`allOf`,
 * `$ref` (into `root`), objects (`properties`, `required`, `additionalProperties`), arrays
 * (`items`, `minItems`, `maxItems`, `uniqueItems`), strings (`minLength`, `maxLength`, `pattern`
 * through `fc.stringMatching`, `format` email/uuid/uri/date-time/date), integers and numbers
 * (`minimum`, `maximum`, exclusive bounds). Unknown keywords are ignored: the fuzzer checks what it
 * generated with ajv, so a value this converter gets wrong is labelled, not trusted.
 */
export interface SchemaArbitraryOptions {
  /** The document `$ref`s point into (`#/components/...`). */
  root?: unknown;
  /** Past this depth, objects keep only their required members and arrays their minimum. */
  maxDepth?: number;
  /** Largest array generated (default 4 above `minItems`). */
  maxItems?: number;
  /**
   * A property-name hint: an arbitrary to use for a property instead of its schema's (e.g.
   * realistic emails for `email`). Return undefined to use the schema.
   */
  hint?: (property: string, schema: JsonSchema) => fc.Arbitrary<unknown> | undefined;
}

type Schema = Record<string, unknown>;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

/** Printable characters beyond ASCII, one code point each (so lengths agree with JSON Schema). */
const UNICODE_CHARS = Array.from('éßøΩжЖ漢字한글عربيעבר😀🎉👍∑≠→✓ñ');

/** Printable strings: mostly ASCII, sometimes other scripts and emoji. No control characters. */
function plainString(minLength: number, maxLength: number): fc.Arbitrary<string> {
  const max = Math.max(minLength, Math.min(maxLength, minLength + 24));
  return fc.oneof(
    { weight: 4, arbitrary: fc.string({ minLength, maxLength: max }) },
    {
      weight: 1,
      arbitrary: fc.string({
        minLength,
        maxLength: max,
        unit: fc.oneof(
          fc.constantFrom(...UNICODE_CHARS),
          fc.string({ minLength: 1, maxLength: 1 }),
        ),
      }),
    },
  );
}

/** Addresses both the ajv `email` format and zod's email pattern accept. */
export const emailArbitrary: fc.Arbitrary<string> = fc
  .tuple(
    fc.stringMatching(/^[a-z0-9]{1,10}(?:[._+-][a-z0-9]{1,6}){0,2}$/),
    fc.stringMatching(/^[a-z0-9]{1,10}(?:-[a-z0-9]{1,6})?$/),
    fc.constantFrom('example.com', 'example.org', 'test.io', 'mail.example'),
    fc.boolean(),
  )
  .map(([local, label, domain, upper]) => {
    const email = `${local}.${label}@${domain}`.replace(/^\./, '');
    return upper ? email.toUpperCase() : email;
  });

const codePoints = (value: string): number => Array.from(value).length;

function stringArbitrary(schema: Schema): fc.Arbitrary<string> {
  const minLength = num(schema.minLength) ?? 0;
  const maxLength = num(schema.maxLength) ?? Number.MAX_SAFE_INTEGER;
  const fits = (value: string) => codePoints(value) >= minLength && codePoints(value) <= maxLength;
  let base: fc.Arbitrary<string>;
  switch (schema.format) {
    case 'email':
      base = emailArbitrary;
      break;
    case 'uuid':
      base = fc.uuid({ version: 4 });
      break;
    case 'uri':
    case 'url':
      base = fc.webUrl();
      break;
    case 'date-time':
      base = fc
        .date({ min: new Date(0), max: new Date(4_102_444_800_000), noInvalidDate: true })
        .map((date) => date.toISOString());
      break;
    case 'date':
      base = fc
        .date({ min: new Date(0), max: new Date(4_102_444_800_000), noInvalidDate: true })
        .map((date) => date.toISOString().slice(0, 10));
      break;
    default:
      base =
        typeof schema.pattern === 'string'
          ? patternArbitrary(schema.pattern)
          : plainString(minLength, maxLength);
  }
  if (typeof schema.pattern === 'string' && schema.format !== undefined) {
    const regex = new RegExp(schema.pattern, 'u');
    base = base.filter((value) => regex.test(value));
  }
  return base.filter(fits);
}

function patternArbitrary(pattern: string): fc.Arbitrary<string> {
  try {
    return fc.stringMatching(new RegExp(pattern, 'u'));
  } catch {
    return fc.stringMatching(new RegExp(pattern));
  }
}

function integerArbitrary(schema: Schema): fc.Arbitrary<number> {
  let min = num(schema.minimum) ?? Number.MIN_SAFE_INTEGER;
  let max = num(schema.maximum) ?? Number.MAX_SAFE_INTEGER;
  const exclusiveMin = num(schema.exclusiveMinimum);
  const exclusiveMax = num(schema.exclusiveMaximum);
  if (exclusiveMin !== undefined) min = Math.max(min, Math.floor(exclusiveMin) + 1);
  if (exclusiveMax !== undefined) max = Math.min(max, Math.ceil(exclusiveMax) - 1);
  min = Math.ceil(Math.max(min, Number.MIN_SAFE_INTEGER));
  max = Math.floor(Math.min(max, Number.MAX_SAFE_INTEGER));
  // Small values most of the time, and the bounds themselves.
  const small = fc.integer({ min: Math.max(min, -1000), max: Math.min(max, 1000) });
  const all = fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, 2 ** 31 - 1) });
  const arbitraries: fc.Arbitrary<number>[] = [fc.constantFrom(min, max)];
  if (Math.max(min, -1000) <= Math.min(max, 1000)) arbitraries.push(small);
  if (Math.max(min, -(2 ** 31)) <= Math.min(max, 2 ** 31 - 1)) arbitraries.push(all);
  return fc.oneof(...arbitraries);
}

function numberArbitrary(schema: Schema): fc.Arbitrary<number> {
  const min = num(schema.minimum) ?? num(schema.exclusiveMinimum) ?? -1e9;
  const max = num(schema.maximum) ?? num(schema.exclusiveMaximum) ?? 1e9;
  return fc
    .double({ min, max, noNaN: true, noDefaultInfinity: true })
    .filter(
      (value) =>
        (num(schema.exclusiveMinimum) === undefined || value > Number(schema.exclusiveMinimum)) &&
        (num(schema.exclusiveMaximum) === undefined || value < Number(schema.exclusiveMaximum)),
    );
}

/** Any JSON value, shallow: what `{}` (or `additionalProperties: {}`) accepts. */
const anyJson: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 2 });

function mergeAllOf(schema: Schema, root: unknown): Schema {
  const parts = (schema.allOf as unknown[]).map((part) => resolveRef(part, root));
  const merged: Schema = { ...schema };
  delete merged.allOf;
  for (const part of parts) {
    if (!isRecord(part)) continue;
    for (const [keyword, value] of Object.entries(part)) {
      if (keyword === 'properties' && isRecord(value)) {
        merged.properties = { ...(merged.properties as Schema | undefined), ...value };
      } else if (keyword === 'required' && Array.isArray(value)) {
        merged.required = [...((merged.required as unknown[] | undefined) ?? []), ...value];
      } else {
        merged[keyword] = value;
      }
    }
  }
  return merged;
}

function objectArbitrary(
  schema: Schema,
  options: SchemaArbitraryOptions,
  depth: number,
): fc.Arbitrary<Record<string, unknown>> {
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const required = new Set(
    Array.isArray(schema.required) ? schema.required.filter((k) => typeof k === 'string') : [],
  );
  const deep = depth >= (options.maxDepth ?? 4);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, property] of Object.entries(properties)) {
    if (deep && !required.has(name)) continue;
    const propertySchema = property as JsonSchema;
    model[name] =
      options.hint?.(name, propertySchema) ?? arbitraryOf(propertySchema, options, depth + 1);
  }
  for (const name of required) model[name] ??= anyJson;
  const record = fc.record(model, {
    requiredKeys: [...required].filter((name) => name in model),
    noNullPrototype: true,
  });
  const additional = schema.additionalProperties;
  if (deep || additional === false || additional === undefined) return record;
  const extraKey = fc
    .string({ minLength: 1, maxLength: 12 })
    .filter((key) => !(key in properties) && key !== '__proto__');
  const extraValue =
    additional === true || (isRecord(additional) && Object.keys(additional).length === 0)
      ? anyJson
      : arbitraryOf(additional as JsonSchema, options, depth + 1);
  return fc
    .tuple(record, fc.dictionary(extraKey, extraValue, { maxKeys: 3, noNullPrototype: true }))
    .map(([known, extra]) => ({ ...extra, ...known }));
}

/** An arbitrary of values `schema` accepts (see the module comment for what it covers). */
export function arbitraryOf(
  schema: JsonSchema,
  options: SchemaArbitraryOptions = {},
  depth = 0,
): fc.Arbitrary<unknown> {
  const resolved = resolveRef(schema, options.root);
  if (resolved === true || (isRecord(resolved) && Object.keys(resolved).length === 0)) {
    return anyJson;
  }
  if (resolved === false || !isRecord(resolved)) return fc.constant(null);
  let s: Schema = resolved;
  if (Array.isArray(s.allOf)) s = mergeAllOf(s, options.root);
  if ('const' in s) return fc.constant(s.const);
  if (Array.isArray(s.enum) && s.enum.length > 0) return fc.constantFrom(...(s.enum as unknown[]));
  const branches = Array.isArray(s.anyOf) ? s.anyOf : Array.isArray(s.oneOf) ? s.oneOf : undefined;
  if (branches && branches.length > 0) {
    const rest: Schema = { ...s };
    delete rest.anyOf;
    delete rest.oneOf;
    delete rest.default;
    delete rest.description;
    return fc.oneof(
      ...branches.map((branch) => {
        const part = resolveRef(branch, options.root);
        return arbitraryOf(isRecord(part) ? { ...rest, ...part } : part, options, depth);
      }),
    );
  }
  const types: unknown[] = Array.isArray(s.type) ? s.type : s.type === undefined ? [] : [s.type];
  if (types.length > 1) {
    return fc.oneof(...types.map((type) => arbitraryOf({ ...s, type }, options, depth)));
  }
  const type =
    types[0] ??
    (s.properties !== undefined || s.additionalProperties !== undefined
      ? 'object'
      : s.items !== undefined
        ? 'array'
        : undefined);
  switch (type) {
    case 'string':
      return stringArbitrary(s);
    case 'integer':
      return integerArbitrary(s);
    case 'number':
      return numberArbitrary(s);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'object':
      return objectArbitrary(s, options, depth);
    case 'array': {
      const minLength = num(s.minItems) ?? 0;
      const deep = depth >= (options.maxDepth ?? 4);
      const maxLength = Math.min(
        num(s.maxItems) ?? Number.MAX_SAFE_INTEGER,
        deep ? minLength : minLength + (options.maxItems ?? 4),
      );
      const items =
        s.items === undefined ? anyJson : arbitraryOf(s.items as JsonSchema, options, depth + 1);
      // Lists of enum values are sets in practice (servers refuse duplicates), so no repeats.
      const itemSchema = resolveRef(s.items, options.root);
      const setOfEnum = isRecord(itemSchema) && Array.isArray(itemSchema.enum);
      return s.uniqueItems === true || setOfEnum
        ? fc.uniqueArray(items, { minLength, maxLength, selector: (v) => JSON.stringify(v) })
        : fc.array(items, { minLength, maxLength });
    }
    default:
      return anyJson;
  }
}

// ---------------------------------------------------------------------------------------------
// Invalid inputs: mutations of a valid value, of its JSON text, and odd strings.

/** Strings that break naive handling: NUL, lone surrogates, BOM, bidi overrides, separators. */
export const ODD_STRINGS: readonly string[] = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'x\udc00y',
  '\ufeff',
  '\u202eevil',
  '\u200b',
  '\u2028\u2029',
  '\r\n\t',
  '\u0085',
  '\uffff',
  'e\u0301\u0301\u0301',
  '𝕳𝖊𝖑𝖑𝖔',
  '../../etc/passwd',
  "' OR 1=1 --",
  '${jndi:ldap://x}',
  '<script>alert(1)</script>',
  '%00',
  '__proto__',
];

/** Whether a value (anywhere inside it) has a NUL or an unpaired UTF-16 surrogate. */
export function hasNulOrLoneSurrogate(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000') || /\p{Cs}/u.test(value);
  if (Array.isArray(value)) return value.some(hasNulOrLoneSurrogate);
  if (isRecord(value)) {
    return Object.entries(value).some(
      ([key, inner]) => hasNulOrLoneSurrogate(key) || hasNulOrLoneSurrogate(inner),
    );
  }
  return false;
}

type Path = (string | number)[];

function pathsOf(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((item, i) => pathsOf(item, [...prefix, i], out));
  else if (isRecord(value)) {
    for (const [key, item] of Object.entries(value)) pathsOf(item, [...prefix, key], out);
  }
  return out;
}

function clone(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

/** Replaces (or with `replace` undefined, removes) the node at `path`; returns the new root. */
function setAt(root: unknown, path: Path, replace: (old: unknown) => unknown): unknown {
  if (path.length === 0) return replace(root);
  const copy = clone(root);
  let parent: unknown = copy;
  for (const part of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[part];
  const last = path[path.length - 1]!;
  const container = parent as Record<string | number, unknown>;
  const next = replace(container[last]);
  if (next === REMOVE) {
    if (Array.isArray(container)) container.splice(Number(last), 1);
    else Reflect.deleteProperty(container, last);
  } else {
    container[last] = next;
  }
  return copy;
}

const REMOVE = Symbol('remove');

const WRONG_TYPED: readonly unknown[] = [
  0,
  -1,
  1.5,
  1e308,
  -(2 ** 53) - 2,
  true,
  false,
  null,
  '',
  'x',
  '0',
  'true',
  [],
  [1, 'a'],
  {},
  { a: 1 },
];

const jsonType = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;

const EXTRA_KEYS: readonly string[] = [
  '__proto__',
  'constructor',
  'prototype',
  'id',
  'role',
  'admin',
  'tenant_id',
  'email_verified',
  'disabled',
  '',
  'x'.repeat(300),
  'unknown_field',
];

/**
 * A marker string the request builder replaces with deep JSON text after `JSON.stringify`
 * (deeply nested values are built as text: `JSON.stringify` itself would recurse).
 */
export const DEEP_MARKER = '@@hj-fuzz-deep@@';

export interface ValueMutation {
  /** What was done, for the findings report. */
  label: string;
  value: unknown;
  /** Nesting depth to splice in for `DEEP_MARKER` (see `deepJson`). */
  deep?: { depth: number; array: boolean };
}

/**
 * Mutations of a valid JSON value: a wrong type somewhere, a member removed, an unknown member
 * added, a huge string, deep nesting, odd unicode (NUL, lone surrogates, ...).
 */
export function mutateValue(valid: fc.Arbitrary<unknown>): fc.Arbitrary<ValueMutation> {
  return fc
    .tuple(
      valid,
      fc.nat(),
      fc.constantFrom(
        'wrong-type',
        'remove-member',
        'extra-member',
        'huge-string',
        'deep-nesting',
        'odd-unicode',
      ),
      fc.nat(),
      fc.constantFrom(9, 64, 600, 5000),
      fc.boolean(),
      fc.constantFrom(20_000, 99_000, 150_000, 1_200_000),
    )
    .map(([value, pick, kind, pick2, depth, array, size]): ValueMutation => {
      const paths = pathsOf(value);
      const path = paths[pick % paths.length]!;
      const where = show(path);
      switch (kind) {
        case 'wrong-type': {
          const candidates = WRONG_TYPED.filter(
            (v) => jsonType(v) !== jsonType(getAt(value, path)),
          );
          const replacement = candidates[pick2 % candidates.length];
          return {
            label: `wrong type at ${where}: ${JSON.stringify(replacement)}`,
            value: setAt(value, path, () => replacement),
          };
        }
        case 'remove-member': {
          const members = paths.filter((p) => p.length > 0 && typeof p[p.length - 1] === 'string');
          const target = members[pick2 % Math.max(members.length, 1)];
          if (!target) return { label: 'removed the whole body', value: undefined };
          return {
            label: `removed $.${target.join('.')}`,
            value: setAt(value, target, () => REMOVE),
          };
        }
        case 'extra-member': {
          const objects = paths.filter((p) => isRecord(getAt(value, p)));
          const target = objects[pick2 % Math.max(objects.length, 1)] ?? [];
          const key = EXTRA_KEYS[pick % EXTRA_KEYS.length]!;
          const extra = WRONG_TYPED[pick2 % WRONG_TYPED.length];
          const base = isRecord(getAt(value, target)) ? value : {};
          return {
            label: `extra member ${JSON.stringify(key.slice(0, 20))} at ${target.length ? `$.${target.join('.')}` : '$'}`,
            value: setAt(base, target, (old) => {
              const copy = { ...(old as Record<string, unknown>) };
              Object.defineProperty(copy, key, {
                value: extra,
                enumerable: true,
                writable: true,
                configurable: true,
              });
              return copy;
            }),
          };
        }
        case 'huge-string': {
          // Strings are where size limits matter; any node will do when there are none.
          const target = preferred(paths, (p) => typeof getAt(value, p) === 'string', pick2);
          return {
            label: `string of ${size} characters at ${show(target)}`,
            value: setAt(value, target, () => 'A'.repeat(size)),
          };
        }
        case 'deep-nesting': {
          // Inside an object (free-form members such as `metadata` most of all), as a member.
          const objects = paths.filter((p) => isRecord(getAt(value, p)));
          const inner = objects.filter((p) => p.length > 0);
          const pool = inner.length > 0 && pick % 3 !== 0 ? inner : objects;
          const parent = pool[pick2 % Math.max(pool.length, 1)];
          const keys = parent ? Object.keys(getAt(value, parent) as object) : [];
          const target = parent ? [...parent, keys[pick % (keys.length + 1)] ?? 'deep'] : [];
          return {
            label: `${depth} levels of ${array ? 'arrays' : 'objects'} at ${show(target)}`,
            value: setAt(value, target, () => DEEP_MARKER),
            deep: { depth, array },
          };
        }
        case 'odd-unicode': {
          const odd = ODD_STRINGS[pick2 % ODD_STRINGS.length]!;
          const target = preferred(paths, (p) => typeof getAt(value, p) === 'string', pick);
          return {
            label: `odd string ${JSON.stringify(odd)} at ${show(target)}`,
            value: setAt(value, target, (old) =>
              typeof old === 'string' ? `${old.slice(0, 3)}${odd}${old.slice(3)}` : odd,
            ),
          };
        }
      }
    });
}

/** One of the paths `wanted` accepts when there are any, else any path. */
function preferred(paths: Path[], wanted: (path: Path) => boolean, pick: number): Path {
  const matching = paths.filter(wanted);
  const pool = matching.length > 0 ? matching : paths;
  return pool[pick % pool.length] ?? [];
}

const show = (path: Path): string => (path.length === 0 ? '$' : `$.${path.join('.')}`);

function getAt(root: unknown, path: Path): unknown {
  let node: unknown = root;
  for (const part of path) node = (node as Record<string | number, unknown> | undefined)?.[part];
  return node;
}

/** `depth` levels of nested objects (`{"a":{"a":...}}`) or arrays, as JSON text. */
export function deepJson(depth: number, array: boolean): string {
  return array
    ? `${'['.repeat(depth)}1${']'.repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** The same nesting as a value (for validation), or undefined past what is safe to build. */
export function deepValue(depth: number, array: boolean): unknown {
  if (depth > 1000) return undefined;
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = array ? [value] : { a: value };
  return value;
}

export interface TextMutation {
  label: string;
  /** The body bytes to send. */
  body: Buffer;
  /** Whether this text still parses as JSON (then its value decides validity). */
  parses: boolean;
}

/** Broken JSON text, from a valid body's text: truncation, garbage, bad encodings and the like. */
export function mutateText(validText: fc.Arbitrary<string>): fc.Arbitrary<TextMutation> {
  const fixed: readonly [string, string | Buffer][] = [
    ['empty body', ''],
    ['"null"', 'null'],
    ['"[]"', '[]'],
    ['a JSON string', '"text"'],
    ['a JSON number', '42'],
    ['"true"', 'true'],
    ['NaN', '{"a":NaN}'],
    ['1e999', '{"a":1e999}'],
    ['a lone "{"', '{'],
    ['a comment', '/* c */ {}'],
    ['single quotes', "{'a': 1}"],
    ['a raw NUL in a string', '{"a":"\u0000"}'],
    ['an escaped lone surrogate key', '{"\\ud800":1}'],
    [
      'invalid UTF-8 bytes',
      Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x22, 0x7d]),
    ],
    [
      'overlong UTF-8 NUL',
      Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc0, 0x80, 0x22, 0x7d]),
    ],
    ['a __proto__ member', '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}'],
  ];
  return fc.oneof(
    fc.constantFrom(...fixed).map(([label, body]): TextMutation => {
      const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
      return { label: `body ${label}`, body: bytes, parses: parsesAsJson(bytes) };
    }),
    fc
      .tuple(
        validText,
        fc.nat(),
        fc.constantFrom('truncate', 'garbage', 'trailing-comma', 'duplicate', 'bom', 'utf16'),
      )
      .map(([text, at, kind]): TextMutation => {
        let body: Buffer;
        switch (kind) {
          case 'truncate':
            body = Buffer.from(text.slice(0, at % Math.max(text.length, 1)));
            break;
          case 'garbage':
            body = Buffer.from(`${text}}garbage`);
            break;
          case 'trailing-comma':
            body = Buffer.from(text.replace(/}$/, ',}'));
            break;
          case 'duplicate':
            body = Buffer.from(text.replace(/^\{/, '{"email":"dup@example.com","email":1,'));
            break;
          case 'bom':
            body = Buffer.from(`\ufeff${text}`);
            break;
          case 'utf16':
            body = Buffer.from(text, 'utf16le');
            break;
        }
        return { label: `body text: ${kind}`, body, parses: parsesAsJson(body) };
      }),
  );
}

/** Whether a body parses as a JSON object or array (what a strict JSON body parser accepts). */
export function parsesAsJson(body: Buffer): boolean {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null;
  } catch {
    return false;
  }
}
