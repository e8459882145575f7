import fc from 'fast-check';
import {
  arbitraryOf,
  deepJson,
  hasNulOrLoneSurrogate,
  mutateText,
  parsesAsJson,
} from '../support/fuzz/arbitraries';
import { operationsOf, type JsonSchema, type OpenApiDocument } from '../support/fuzz/openapi-model';
import {
  FindingLog,
  formatFindings,
  judge,
  SchemaValidator,
  type Exchange,
  type Rejection,
} from '../support/fuzz/oracle';
import { encodeSegment } from '../support/fuzz/cases';
import { nonCanonicalBase64url } from '../support/fuzz/materialize';

const problem = { $ref: '#/components/schemas/Problem' };
const problemContent = { 'application/problem+json': { schema: problem } };

/** A small document shaped like the planes' own (zod's toJSONSchema output). */
const document: OpenApiDocument = {
  openapi: '3.1.0',
  components: {
    schemas: {
      Problem: {
        type: 'object',
        required: ['type', 'title', 'status', 'code'],
        properties: {
          type: { type: 'string' },
          title: { type: 'string' },
          status: { type: 'integer' },
          code: { type: 'string', enum: ['validation_failed', 'widget_not_found'] },
        },
      },
      OAuthError: {
        type: 'object',
        required: ['error'],
        properties: { error: { type: 'string' }, error_description: { type: 'string' } },
      },
    },
  },
  paths: {
    '/v1/widgets/{id}': {
      get: {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        security: [{ bearer: [] }],
        responses: {
          200: {
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: { id: { type: 'string' }, size: { type: 'integer', minimum: 0 } },
                  required: ['id', 'size'],
                  additionalProperties: false,
                },
              },
            },
          },
          400: { content: problemContent },
          404: { content: problemContent },
          503: { content: problemContent },
        },
      },
      delete: { security: [{ bearer: [] }, {}], responses: { 204: { description: 'gone' } } },
    },
    '/oauth2/token': {
      post: {
        security: [],
        responses: {
          200: { content: { 'application/json': { schema: { type: 'object' } } } },
          400: {
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/OAuthError' } },
            },
          },
        },
      },
    },
  },
};

const [getWidget, deleteWidget, token] = operationsOf(document, 'control-plane');
const validator = new SchemaValidator();

function exchange(
  status: number,
  body: unknown,
  options: {
    contentType?: string;
    headers?: Record<string, string>;
    rejections?: Rejection[];
    operation?: typeof getWidget;
  } = {},
): Exchange {
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  return {
    operation: options.operation ?? getWidget!,
    method: (options.operation ?? getWidget!).method,
    status,
    headers: {
      ...(options.contentType === undefined ? {} : { 'content-type': options.contentType }),
      ...options.headers,
    },
    body: Buffer.from(text),
    rejections: options.rejections ?? [],
  };
}

const problemOf = (status: number, code = 'widget_not_found') => ({
  type: `https://example.com/errors/${code}`,
  title: 'No such widget',
  status,
  code,
});
const PROBLEM = 'application/problem+json; charset=utf-8';
const kinds = (e: Exchange) => judge(e, validator).map((finding) => finding.kind);

describe('the fuzz oracle', () => {
  it('reads operations, bearer requirements and error formats from the document', () => {
    expect(getWidget).toMatchObject({ method: 'GET', bearer: true, errorFormat: 'problem' });
    expect(deleteWidget).toMatchObject({ method: 'DELETE', bearer: false });
    expect(token).toMatchObject({ method: 'POST', bearer: false, errorFormat: 'oauth' });
    expect(getWidget!.parameters).toEqual([
      { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
    ]);
  });

  it('accepts documented answers with well-formed bodies', () => {
    expect(
      kinds(exchange(200, { id: 'w1', size: 3 }, { contentType: 'application/json' })),
    ).toEqual([]);
    expect(kinds(exchange(404, problemOf(404), { contentType: PROBLEM }))).toEqual([]);
    expect(kinds(exchange(204, undefined, { operation: deleteWidget! }))).toEqual([]);
    expect(
      kinds(
        exchange(
          400,
          { error: 'invalid_grant' },
          { contentType: 'application/json', operation: token! },
        ),
      ),
    ).toEqual([]);
  });

  it('fails a 5xx, but not a documented 503 with Retry-After', () => {
    expect(
      kinds(exchange(500, problemOf(500, 'validation_failed'), { contentType: PROBLEM })),
    ).toContain('server-error');
    expect(
      kinds(exchange(503, problemOf(503, 'validation_failed'), { contentType: PROBLEM })),
    ).toEqual(['server-error']);
    expect(
      kinds(
        exchange(503, problemOf(503, 'validation_failed'), {
          contentType: PROBLEM,
          headers: { 'retry-after': '1' },
        }),
      ),
    ).toEqual([]);
  });

  it.each([
    ['an HTML error page', '<h1>Not found</h1>', 'text/html'],
    [
      'problem+json without a code',
      { type: 'about:blank', title: 'Not Found', status: 404 },
      PROBLEM,
    ],
    ['a status that disagrees with HTTP', problemOf(400), PROBLEM],
    ['a code the document does not list', problemOf(404, 'teapot'), PROBLEM],
    ['plain JSON', problemOf(404), 'application/json'],
    ['no body', undefined, undefined],
  ])('fails an error answered as %s', (_name, body, contentType) => {
    expect(kinds(exchange(404, body, contentType === undefined ? {} : { contentType }))).toContain(
      'malformed-error',
    );
  });

  it('fails an OAuth error that is not RFC 6749 {error}', () => {
    expect(
      kinds(
        exchange(400, problemOf(400, 'validation_failed'), {
          contentType: PROBLEM,
          operation: token!,
        }),
      ),
    ).toEqual(['malformed-error']);
  });

  it.each(['malformed_request', 'malformed_path'])(
    'accepts a parser refusal (%s) in problem+json on an OAuth path (no route ran)',
    (code) => {
      const refusal = { type: 'x', title: 'Bad request', status: 400, code };
      const findings = kinds(
        exchange(400, refusal, { contentType: PROBLEM, operation: token! }),
      ).filter((kind) => kind === 'malformed-error');
      expect(findings).toEqual([]);
    },
  );

  it('fails a success body that breaks the documented schema or media type', () => {
    expect(kinds(exchange(200, { id: 'w1' }, { contentType: 'application/json' }))).toEqual([
      'invalid-success-body',
    ]);
    expect(
      kinds(
        exchange(200, { id: 'w1', size: -1, extra: true }, { contentType: 'application/json' }),
      ),
    ).toEqual(['invalid-success-body']);
    expect(kinds(exchange(200, 'not json', { contentType: 'application/json' }))).toEqual([
      'invalid-success-body',
    ]);
    expect(kinds(exchange(200, { id: 'w1', size: 1 }, { contentType: 'text/plain' }))).toEqual([
      'invalid-success-body',
    ]);
    expect(kinds(exchange(204, 'surprise', { operation: deleteWidget! }))).toEqual([
      'invalid-success-body',
    ]);
  });

  it('fails undocumented statuses, success and error alike', () => {
    expect(
      kinds(exchange(201, { id: 'w1', size: 1 }, { contentType: 'application/json' })),
    ).toEqual(['undocumented-success']);
    const findings = judge(
      exchange(401, problemOf(401, 'validation_failed'), { contentType: PROBLEM }),
      validator,
    );
    expect(findings).toEqual([
      {
        kind: 'undocumented-status',
        operation: 'control-plane GET /v1/widgets/{id}',
        status: 401,
        code: 'validation_failed',
        reason: '401 is not documented',
      },
    ]);
  });

  it('fails a success for a request the server should have refused', () => {
    const rejections: Rejection[] = [
      { kind: 'accepted-invalid-input', label: 'a NUL or lone surrogate' },
      { kind: 'auth-bypass', label: 'a garbage bearer' },
      { kind: 'cross-tenant', label: "another tenant's refresh token", onlyIfIssuesTokens: true },
    ];
    const ok = exchange(
      200,
      { id: 'w1', size: 1 },
      { contentType: 'application/json', rejections },
    );
    expect(kinds(ok)).toEqual(['accepted-invalid-input', 'auth-bypass']);
    const tokens = exchange(
      200,
      { access_token: 'x' },
      { contentType: 'application/json', rejections, operation: token! },
    );
    expect(kinds(tokens)).toEqual(['accepted-invalid-input', 'auth-bypass', 'cross-tenant']);
    // Refusing is what it should do, whatever the documented status.
    expect(
      kinds(
        exchange(400, problemOf(400, 'validation_failed'), { contentType: PROBLEM, rejections }),
      ),
    ).toEqual([]);
  });

  it('groups findings by operation, status and code, with a count and the first example', () => {
    const log = new FindingLog();
    const finding = judge(exchange(500, 'boom', { contentType: 'text/plain' }), validator);
    for (const f of finding) log.add(f, () => 'GET /v1/widgets/1');
    for (const f of finding) log.add(f, () => 'GET /v1/widgets/2');
    expect(log.of('server-error')).toEqual([
      expect.objectContaining({ status: 500, count: 2, example: 'GET /v1/widgets/1' }),
    ]);
    expect(formatFindings(log.of('server-error'))).toBe(
      'control-plane GET /v1/widgets/{id} -> 500: answered 500 (x2)\n    GET /v1/widgets/1',
    );
  });
});

describe('the fuzz generators', () => {
  const schemas: [string, JsonSchema][] = [
    [
      'an admin',
      {
        type: 'object',
        properties: {
          email: {
            type: 'string',
            maxLength: 254,
            format: 'email',
            pattern:
              "^(?:[A-Za-z0-9_'+\\-]+\\.)*[A-Za-z0-9_'+\\-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9\\-]*\\.)+[A-Za-z]{2,}$",
          },
          password: { type: 'string', minLength: 12, maxLength: 256 },
          role: { default: 'viewer', type: 'string', enum: ['owner', 'viewer'] },
          id: { type: 'string', format: 'uuid' },
          at: { type: 'string', format: 'date-time' },
          logo: { type: 'string', format: 'uri', maxLength: 2000 },
        },
        required: ['email', 'password'],
        additionalProperties: false,
      },
    ],
    [
      'a database choice',
      {
        oneOf: [
          {
            type: 'object',
            properties: { mode: { const: 'managed' } },
            required: ['mode'],
            additionalProperties: false,
          },
          {
            type: 'object',
            properties: {
              mode: { type: 'string', const: 'external' },
              driver: { type: 'string', enum: ['pg', 'mysql'] },
              dsn: { type: 'string', maxLength: 2048 },
            },
            required: ['mode', 'driver', 'dsn'],
            additionalProperties: false,
          },
        ],
      },
    ],
    [
      'scopes and free-form metadata',
      {
        type: 'object',
        properties: {
          scopes: {
            type: 'array',
            minItems: 1,
            maxItems: 3,
            items: {
              type: 'string',
              minLength: 1,
              maxLength: 128,
              pattern: '^[\\x21\\x23-\\x5b\\x5d-\\x7e]+$',
            },
          },
          metadata: { type: 'object', propertyNames: { type: 'string' }, additionalProperties: {} },
          days: { anyOf: [{ type: 'integer', minimum: 1, maximum: 3650 }, { type: 'null' }] },
          ratio: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
          name: { type: ['string', 'null'], minLength: 1, maxLength: 5 },
        },
        required: ['scopes'],
        additionalProperties: false,
      },
    ],
    ['a referenced problem', { $ref: '#/components/schemas/Problem' }],
  ];

  it.each(schemas)('generates only values %s schema accepts', (_name, schema) => {
    const root = { components: document.components };
    fc.assert(
      fc.property(arbitraryOf(schema, { root }), (value) => {
        expect(validator.errors(schema, document.components!, value)).toEqual([]);
      }),
      { seed: 15, numRuns: 200 },
    );
  });

  it('breaks JSON text in ways a strict parser refuses', () => {
    const samples = fc.sample(mutateText(fc.constant('{"a":"b"}')), { seed: 15, numRuns: 200 });
    expect(samples.some((sample) => !sample.parses)).toBe(true);
    expect(parsesAsJson(Buffer.from(deepJson(50, false)))).toBe(true);
    expect(parsesAsJson(Buffer.from('\ufeff{}'))).toBe(false);
    expect(parsesAsJson(Buffer.from([0x7b, 0xff, 0x7d]))).toBe(false);
  });

  it('spells the same bytes another way, and encodes lone surrogates', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 70 }), (bytes) => {
        const canonical = Buffer.from(bytes).toString('base64url');
        const other = nonCanonicalBase64url(canonical);
        expect(other).not.toBe(canonical);
        expect(Buffer.from(other, 'base64url').equals(Buffer.from(bytes))).toBe(true);
      }),
      { seed: 15 },
    );
    expect(encodeSegment('a\ud800b/é')).toBe('a%ED%A0%80b%2F%C3%A9');
    expect(hasNulOrLoneSurrogate({ a: ['x\u0000'] })).toBe(true);
    expect(hasNulOrLoneSurrogate({ '\udfff': 1 })).toBe(true);
    expect(hasNulOrLoneSurrogate({ a: '😀 é' })).toBe(false);
  });
});
