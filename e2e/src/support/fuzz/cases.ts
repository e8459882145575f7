import fc from 'fast-check';
import {
  arbitraryOf,
  emailArbitrary,
  mutateText,
  mutateValue,
  ODD_STRINGS,
  type TextMutation,
} from './arbitraries';
import type { JsonSchema, Operation, Parameter } from './openapi-model';

/**
 * One generated request, symbolic where it needs the running system: "a valid token of the right
 * kind", "the id of a throw-away user", "a real pagination cursor, respelled" are resolved when the
 * request is sent (`materialize`), so the same seed gives the same requests on any run.
 */
export interface FuzzCase {
  /** What this case mutates (`valid` for none), for the report. */
  focus: Focus;
  auth: { variant: AuthVariant; pick: number };
  /** Data plane only: how the request names its tenant. */
  tenant: { variant: TenantVariant; pick: number };
  params: Record<string, ParamCase>;
  /** Raw `key=value` pairs, sent as they are; values may hold cursor placeholders. */
  query: [string, string][];
  body: BodyCase;
  /** `null`: no Content-Type header. */
  contentType: string | null;
  contentEncoding: { value: string; compress: boolean } | null;
  forwardedFor: string | null;
  accept: string | null;
}

type Focus = 'valid' | 'body' | 'query' | 'path' | 'auth' | 'tenant' | 'headers' | 'chaos';

export type AuthVariant =
  | 'none'
  | 'garbage'
  | 'valid'
  | 'viewer'
  | 'other-tenant'
  | 'wrong-kind'
  | 'tampered'
  | 'non-canonical';

type TenantVariant =
  'slug' | 'id' | 'both' | 'unknown' | 'mismatch' | 'missing' | 'duplicate' | 'malformed';

export type ParamCase =
  { kind: 'known'; asSlug: boolean } | { kind: 'foreign' } | { kind: 'literal'; raw: string };

type BodyCase =
  | { kind: 'none' }
  | { kind: 'json'; value: unknown; label?: string; deep?: { depth: number; array: boolean } }
  | { kind: 'raw'; bytes: Buffer; label: string };

/** Data-plane operations run twice: under `/t/{tenant}` and with `X-Tenant-ID`. */
export type TenantMode = 'prefix' | 'header' | 'none';

// ---------------------------------------------------------------------------------------------
// Placeholders: strings in generated bodies that stand for fixture values.

export const PLACEHOLDER = /^\{\{hj:([a-z.:-]+)\}\}$/;
const placeholder = (name: string): string => `{{hj:${name}}}`;

/** Realistic values for well-known property names, mixed with what the schema alone gives. */
function hintFor(operation: Operation) {
  return (property: string, schema: JsonSchema): fc.Arbitrary<unknown> | undefined => {
    const fromSchema = () => arbitraryOf(schema, { root: { components: operation.components } });
    switch (property) {
      case 'email':
        return fc.oneof(
          { weight: 3, arbitrary: emailArbitrary },
          { weight: 2, arbitrary: fc.constant(placeholder('subject.email')) },
          { weight: 1, arbitrary: fromSchema() },
        );
      case 'password':
      case 'current_password':
        return fc.oneof(
          { weight: 3, arbitrary: fc.constant(placeholder('subject.password')) },
          { weight: 1, arbitrary: fc.constant('a long enough password 123') },
          { weight: 1, arbitrary: fromSchema() },
        );
      case 'new_password':
        return fc.oneof(
          { weight: 2, arbitrary: fc.constant('a brand new long password 42') },
          { weight: 1, arbitrary: fromSchema() },
        );
      case 'redirect_uris':
      case 'post_logout_redirect_uris':
        // What the control plane accepts (https, loopback http, private-use schemes), or not.
        return fc.oneof(
          {
            weight: 3,
            arbitrary: fc.uniqueArray(
              fc.constantFrom(
                'https://app.example.com/callback',
                'http://localhost:3000/cb',
                'http://127.0.0.1:8080/cb',
                'com.example.app:/oauth',
              ),
              { maxLength: 3 },
            ),
          },
          { weight: 1, arbitrary: fromSchema() },
        );
      case 'refresh_token':
        return fc.oneof(
          { weight: 4, arbitrary: fc.constant(placeholder('subject.refresh')) },
          { weight: 1, arbitrary: fc.constant(placeholder('subject.refresh:non-canonical')) },
          { weight: 1, arbitrary: fc.constant(placeholder('other.refresh')) },
          { weight: 1, arbitrary: fc.constant(placeholder('subject.access')) },
          { weight: 1, arbitrary: fromSchema() },
        );
      default:
        return undefined;
    }
  };
}

// ---------------------------------------------------------------------------------------------
// Case arbitraries.

export const GARBAGE_AUTHORIZATION: readonly string[] = [
  'Bearer',
  'Bearer ',
  'Bearer x',
  'Bearer a.b.c',
  'Bearer ...',
  'Basic dXNlcjpwYXNzd29yZA==',
  'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
  'Bearer hjrt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  'Token abc',
  `Bearer ${'A'.repeat(4000)}`,
  'Bearer \u00ff\u00fe',
  'Bearer %00',
  'Bearer null',
  'Bearer undefined',
  'Bearer a b c',
  'Bearer\teyJ',
  'bearer',
  'Bearer eyJhbGciOiJFZERTQSJ9.e30.AAAA',
];

const CONTENT_TYPES: readonly string[] = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/json; charset=nope',
  'application/jsonx',
  'application/xml',
  'application/vnd.api+json',
  'APPLICATION/JSON',
  'application/json;;;',
  '*/*',
  '',
];

const CONTENT_ENCODINGS: readonly string[] = [
  'gzip',
  'deflate',
  'br',
  'identity',
  'compress',
  'gzip, gzip',
  'x-unknown',
];

/** Path segments that break naive routing and decoding. */
const ODD_SEGMENTS: readonly string[] = [
  '%00',
  '%ff',
  '%',
  '%%',
  '%zz',
  '%2F',
  '%2f..%2f',
  '..',
  '%2e%2e',
  '.',
  '%20',
  '+',
  '%ED%A0%80',
  '%C0%AE',
  '%uD800',
  '%F0%9F%98%80',
  'caf\u00e9',
  'a'.repeat(2000),
  '__proto__',
  'constructor',
  'null',
  '-1',
  '0',
  '00000000-0000-0000-0000-000000000000',
  'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF',
];

const WRONG_QUERY_VALUES: readonly string[] = [
  'abc',
  '0',
  '-1',
  '101',
  '1.5',
  '1e2',
  '',
  '%20',
  'true',
  'null',
  '9'.repeat(30),
  '%zz',
  '%',
  '%00',
  '%ff',
  '%ED%A0%80',
  'a'.repeat(5000),
];

const UNKNOWN_QUERY_KEYS: readonly string[] = [
  'foo',
  '__proto__',
  'constructor',
  'limit[]',
  'LIMIT',
  'cursor%20',
  '%00',
  '',
];

const CURSOR_FORGERIES: readonly string[] = [
  'flip',
  'non-canonical',
  'truncate',
  'append',
  'base64',
  'padded',
];

export const TENANT_MALFORMED: readonly string[] = [
  '..',
  '%2F',
  '%00',
  '%ff',
  'x'.repeat(64),
  'a b',
  'a,b',
  '\u00ff',
  '',
  ' ',
];

export const headerSafe = (value: string): string => value.replace(/[^\t\x20-\x7e\x80-\xff]/g, '?');

/**
 * `encodeURIComponent`, except that a lone surrogate (which it refuses) is sent as its WTF-8
 * bytes (`%ED%A0%80`), the nearest thing to it a URL can carry.
 */
export function encodeSegment(value: string): string {
  return value.replace(/\p{Cs}|[^\p{Cs}]+/gu, (part) => {
    if (!/^\p{Cs}$/u.test(part)) return encodeURIComponent(part);
    const unit = part.charCodeAt(0);
    const bytes = [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)];
    return bytes.map((byte) => `%${byte.toString(16).toUpperCase()}`).join('');
  });
}

/** Whether the operation acts for an admin (control plane, or `/v1/admin/...` on the data plane). */
export const isAdminOperation = (operation: Operation): boolean =>
  operation.plane === 'control-plane' || operation.path.startsWith('/v1/admin/');

function authArbitrary(operation: Operation, mutated: boolean): fc.Arbitrary<FuzzCase['auth']> {
  const pick = fc.nat();
  if (mutated) {
    return fc.record({
      variant: fc.constantFrom<AuthVariant>(
        'none',
        'garbage',
        'other-tenant',
        'wrong-kind',
        'tampered',
        'non-canonical',
        'viewer',
      ),
      pick,
    });
  }
  const variant = operation.bearer
    ? fc.oneof(
        { weight: 8, arbitrary: fc.constant<AuthVariant>('valid') },
        {
          weight: isAdminOperation(operation) ? 2 : 0,
          arbitrary: fc.constant<AuthVariant>('viewer'),
        },
      )
    : fc.oneof(
        { weight: 8, arbitrary: fc.constant<AuthVariant>('none') },
        { weight: 1, arbitrary: fc.constant<AuthVariant>('valid') },
        { weight: 1, arbitrary: fc.constant<AuthVariant>('garbage') },
      );
  return fc.record({ variant, pick });
}

function tenantArbitrary(mode: TenantMode, mutated: boolean): fc.Arbitrary<FuzzCase['tenant']> {
  // Under /t/{tenant}, a mismatch is a header naming another tenant (an empty segment is no
  // route at all); with the header alone, a missing or repeated header.
  const wrong: TenantVariant[] =
    mode === 'prefix'
      ? ['unknown', 'mismatch', 'duplicate', 'malformed']
      : ['unknown', 'missing', 'duplicate', 'malformed'];
  const variant = mutated
    ? fc.constantFrom(...wrong)
    : fc.constantFrom<TenantVariant>('slug', 'slug', 'id', 'both');
  return fc.record({ variant, pick: fc.nat() });
}

function paramArbitrary(operation: Operation, parameter: Parameter, mutated: boolean) {
  const root = { components: operation.components };
  const randomValid = arbitraryOf(parameter.schema, { root })
    .map((value) => String(value))
    .filter((value) => value.length > 0)
    .map((value): ParamCase => ({ kind: 'literal', raw: encodeSegment(value) }));
  if (!mutated) {
    return fc.oneof(
      {
        weight: 8,
        arbitrary: fc.boolean().map((asSlug): ParamCase => ({ kind: 'known', asSlug })),
      },
      { weight: 2, arbitrary: randomValid },
    );
  }
  return fc.oneof(
    fc.constant<ParamCase>({ kind: 'foreign' }),
    fc.constantFrom(...ODD_SEGMENTS).map((raw): ParamCase => ({ kind: 'literal', raw })),
    fc
      .constantFrom(...ODD_STRINGS)
      .map((odd): ParamCase => ({ kind: 'literal', raw: encodeSegment(odd) })),
    fc
      // Never empty: `/v1/widgets/` is another route (the list), not this operation.
      .string({ minLength: 1, maxLength: 40 })
      .map((s): ParamCase => ({ kind: 'literal', raw: encodeSegment(s) })),
    randomValid,
  );
}

function validQuery(operation: Operation): fc.Arbitrary<[string, string][]> {
  const root = { components: operation.components };
  const query = operation.parameters.filter((parameter) => parameter.in === 'query');
  if (query.length === 0) return fc.constant([]);
  return fc
    .tuple(
      ...query.map((parameter) => {
        const value: fc.Arbitrary<string> =
          parameter.name === 'cursor'
            ? fc.constant(placeholder('cursor'))
            : arbitraryOf(parameter.schema, { root }).map((v) => encodeSegment(String(v)));
        return parameter.required
          ? value.map((v): [string, string] | null => [parameter.name, v])
          : fc.option(
              value.map((v): [string, string] => [parameter.name, v]),
              { freq: 2 },
            );
      }),
    )
    .map((pairs) => pairs.filter((pair): pair is [string, string] => pair !== null));
}

function mutatedQuery(operation: Operation): fc.Arbitrary<[string, string][]> {
  const names = operation.parameters.filter((p) => p.in === 'query').map((p) => p.name);
  const name = names.length > 0 ? fc.constantFrom(...names) : fc.constant('limit');
  return fc
    .tuple(
      validQuery(operation),
      fc.constantFrom('unknown', 'repeat', 'wrong-value', 'forged-cursor', 'random-cursor'),
      name,
      fc.constantFrom(...UNKNOWN_QUERY_KEYS),
      fc.constantFrom(...WRONG_QUERY_VALUES),
      fc.constantFrom(...CURSOR_FORGERIES),
      fc.string({ minLength: 1, maxLength: 80 }),
    )
    .map(([pairs, kind, key, unknownKey, wrong, forgery, random]): [string, string][] => {
      const hasCursor = names.includes('cursor');
      const rest = pairs.filter(([k]) => k !== key && k !== 'cursor');
      switch (kind) {
        case 'unknown':
          return [...pairs, [unknownKey, 'x']];
        case 'repeat':
          return [...pairs, [key, '1'], [key, '2']];
        case 'wrong-value':
          return [...rest, [key, wrong]];
        case 'forged-cursor':
          return hasCursor
            ? [...rest, ['cursor', placeholder(`cursor:${forgery}`)]]
            : [...pairs, ['cursor', 'x']];
        case 'random-cursor':
          return [...rest, ['cursor', encodeSegment(random)]];
        default:
          return pairs;
      }
    });
}

type BodyPart = Pick<FuzzCase, 'body' | 'contentType' | 'contentEncoding'>;

const jsonPart = (
  value: unknown,
  contentType: string | null = 'application/json',
  more: { label?: string; deep?: { depth: number; array: boolean } } = {},
): BodyPart => ({ body: { kind: 'json', value, ...more }, contentType, contentEncoding: null });

const rawPart = (text: TextMutation, contentType: string | null): BodyPart => ({
  body: { kind: 'raw', bytes: text.body, label: text.label },
  contentType,
  contentEncoding: null,
});

function bodyArbitrary(operation: Operation, mutated: boolean): fc.Arbitrary<BodyPart> {
  const schema = operation.body?.content['application/json'];
  const none = fc.constant<BodyPart>({
    body: { kind: 'none' },
    contentType: null,
    contentEncoding: null,
  });
  if (schema === undefined) {
    // GET, HEAD and DELETE bodies have no defined meaning (RFC 9110 §9.3); other methods get one.
    if (!mutated || ['GET', 'HEAD', 'DELETE'].includes(operation.method)) return none;
    // No documented body: send one anyway; the answer must still be well-formed.
    return fc
      .tuple(
        mutateText(fc.constant('{"a":1}')),
        fc.constantFrom('application/json', ...CONTENT_TYPES),
      )
      .map(([text, contentType]) => rawPart(text, contentType));
  }
  const valid = arbitraryOf(schema, {
    root: { components: operation.components },
    hint: hintFor(operation),
  });
  if (!mutated) {
    const optional = operation.body?.required === true ? [] : [{ weight: 1, arbitrary: none }];
    return fc.oneof(
      { weight: 6, arbitrary: valid.map((value) => jsonPart(value)) },
      {
        weight: 1,
        arbitrary: valid.map((value) => jsonPart(value, 'application/json; charset=utf-8')),
      },
      ...optional,
    );
  }
  return fc.oneof(
    {
      weight: 5,
      arbitrary: mutateValue(valid).map((mutation) =>
        jsonPart(mutation.value, 'application/json', {
          label: mutation.label,
          ...(mutation.deep ? { deep: mutation.deep } : {}),
        }),
      ),
    },
    {
      weight: 3,
      arbitrary: mutateText(valid.map((value) => JSON.stringify(value))).map((text) =>
        rawPart(text, 'application/json'),
      ),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(valid, fc.constantFrom(...CONTENT_TYPES, null))
        .map(([value, type]) => jsonPart(value, type)),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(valid, fc.constantFrom(...CONTENT_ENCODINGS), fc.boolean())
        .map(([value, encoding, compress]) => ({
          ...jsonPart(value),
          contentEncoding: { value: encoding, compress },
        })),
    },
    { weight: 1, arbitrary: none },
  );
}

const FOCUS_WEIGHTS: readonly [Focus, number][] = [
  ['valid', 30],
  ['body', 25],
  ['query', 8],
  ['path', 10],
  ['auth', 12],
  ['tenant', 6],
  ['headers', 4],
  ['chaos', 5],
];

/**
 * Requests for one operation: valid ones derived from its schemas, and ones with one part
 * mutated (body, query, path, credentials, tenant, headers) or, for `chaos`, several.
 */
export function caseArbitrary(operation: Operation, mode: TenantMode): fc.Arbitrary<FuzzCase> {
  const pathParams = operation.parameters.filter((p) => p.in === 'path');
  const applicable = FOCUS_WEIGHTS.filter(
    ([focus]) =>
      (focus !== 'path' || pathParams.length > 0) &&
      (focus !== 'tenant' || mode !== 'none') &&
      (focus !== 'body' ||
        operation.body !== undefined ||
        !['GET', 'HEAD', 'DELETE'].includes(operation.method)),
  );
  return fc
    .oneof(...applicable.map(([focus, weight]) => ({ weight, arbitrary: fc.constant(focus) })))
    .chain((focus) => {
      const on = (part: Focus) =>
        focus === part ? fc.constant(true) : focus === 'chaos' ? fc.boolean() : fc.constant(false);
      return fc
        .record({
          auth: on('auth'),
          tenant: on('tenant'),
          path: on('path'),
          query: on('query'),
          body: on('body'),
          headers: on('headers'),
        })
        .chain((mutate) =>
          fc
            .record({
              auth: authArbitrary(operation, mutate.auth),
              tenant: tenantArbitrary(mode, mutate.tenant),
              params: fc.record(
                Object.fromEntries(
                  pathParams.map((p) => [p.name, paramArbitrary(operation, p, mutate.path)]),
                ),
              ),
              query: mutate.query ? mutatedQuery(operation) : validQuery(operation),
              body: bodyArbitrary(operation, mutate.body),
              forwardedFor: mutate.headers
                ? fc.constantFrom(
                    'unknown',
                    '1.1.1.1, 2.2.2.2',
                    '::1',
                    'x'.repeat(200),
                    '',
                    '300.1.1.1',
                  )
                : fc.option(fc.ipV4(), { freq: 3 }),
              accept: mutate.headers
                ? fc.constantFrom(
                    'text/html',
                    'application/xml',
                    '*/*;q=0',
                    'garbage',
                    'application/json',
                  )
                : fc.constantFrom(null, 'application/json'),
            })
            .map((parts): FuzzCase => ({
              focus,
              auth: parts.auth,
              tenant: parts.tenant,
              params: parts.params,
              query: parts.query,
              ...parts.body,
              forwardedFor: parts.forwardedFor,
              accept: parts.accept,
            })),
        );
    });
}
