import fc from 'fast-check';
import { arbitraryOf } from '../support/fuzz/arbitraries';
import { closeConnections, sendRaw, type RawResponse } from '../support/fuzz/http';
import { operationsOf, type Operation } from '../support/fuzz/openapi-model';
import {
  FindingLog,
  formatFindings,
  judge,
  SchemaValidator,
  type FindingKind,
} from '../support/fuzz/oracle';
import { caseArbitrary, type TenantMode } from '../support/fuzz/cases';
import { materialize } from '../support/fuzz/materialize';
import { FuzzWorld } from '../support/fuzz/world';
import { startSystem, type System } from '../support/system';

/**
 * Property-based fuzzing of every operation of both planes, driven by their own /openapi.json
 * (docs/testing.md, "Fuzzing"). Deterministic: a fixed seed unless HJ_FUZZ_SEED is set; each
 * operation (and, on the data plane, each way of naming the tenant) gets HJ_FUZZ_RUNS requests.
 */
const SEED = Number(process.env.HJ_FUZZ_SEED ?? 15_2025);
const RUNS = Number(process.env.HJ_FUZZ_RUNS ?? 30);
// Budget per request on a slow, busy machine; the whole run is bounded by RUNS x operations.
const RUN_TIMEOUT_MS = 120_000 + RUNS * 60 * 2 * 250;

/** A stable per-operation seed, so adding an operation does not change the others' requests. */
function seedOf(key: string): number {
  let hash = SEED | 0;
  for (const char of key) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) | 0;
  return hash;
}

function exampleOf(describe: () => string, res: RawResponse | Error): string {
  const answer =
    res instanceof Error
      ? `-> no answer: ${res.message}`
      : `-> ${res.status} ${res.headers['content-type'] ?? '(no content-type)'} ${truncate(res.body.toString('utf8'))}`;
  return `${describe()}\n${answer}`;
}

const truncate = (text: string, max = 400): string =>
  text.length > max ? `${text.slice(0, max)}... (${text.length} characters)` : text;

describe('OpenAPI-driven fuzzing of both planes', () => {
  let system: System;
  let world: FuzzWorld;
  let operations: Operation[];
  const log = new FindingLog();
  const exercised = new Map<string, Set<number>>();

  beforeAll(async () => {
    console.log(
      `fuzz seed ${SEED}, ${RUNS} runs per operation (HJ_FUZZ_SEED=${SEED} HJ_FUZZ_RUNS=${RUNS} to repeat)`,
    );
    system = await startSystem();
    world = await FuzzWorld.create(system);
    operations = [
      ...operationsOf(world.docs.controlPlane, 'control-plane'),
      ...operationsOf(world.docs.dataPlane, 'data-plane'),
    ];
  }, 120_000);

  afterAll(async () => {
    closeConnections();
    await system.close();
  });

  it('generates request bodies and parameters that match every documented schema', () => {
    // The converter checked against the real documents: a schema feature it mishandles shows
    // up here, not as valid-looking requests that are not.
    const validator = new SchemaValidator();
    for (const operation of operations) {
      const schemas = [
        ...Object.values(operation.body?.content ?? {}),
        ...operation.parameters.map((parameter) => parameter.schema),
      ];
      for (const schema of schemas) {
        const root = { components: operation.components };
        fc.assert(
          fc.property(arbitraryOf(schema, { root }), (value) => {
            expect({
              operation: operation.key,
              errors: validator.errors(schema, operation.components, value),
            }).toEqual({ operation: operation.key, errors: [] });
          }),
          { seed: SEED, numRuns: 25 },
        );
      }
    }
  });

  it(
    'sends generated requests to every documented operation',
    async () => {
      expect(operations.length).toBeGreaterThan(20);
      const context = {
        world,
        queryValidator: new SchemaValidator({ coerceTypes: true }),
        bodyValidator: new SchemaValidator(),
      };
      const validator = new SchemaValidator();
      for (const operation of operations) {
        // OAuth endpoints are documented under /t/{tenant} (one issuer each) and have no
        // X-Tenant-ID form: the tenant is then a path parameter like any other.
        const perIssuer = operation.path.startsWith('/t/{tenant}/');
        // The data plane's platform routes (dead letters) belong to no tenant (docs/operations.md).
        const platform = operation.path.startsWith('/v1/admin/ops/');
        const modes: TenantMode[] =
          operation.plane === 'data-plane' && !perIssuer && !platform
            ? ['prefix', 'header']
            : ['none'];
        for (const mode of modes) {
          const statuses = exercised.get(operation.key) ?? new Set<number>();
          exercised.set(operation.key, statuses);
          await fc.assert(
            fc.asyncProperty(caseArbitrary(operation, mode), async (fuzzCase) => {
              const request = await materialize(operation, mode, fuzzCase, context);
              let res: RawResponse;
              try {
                res = await sendRaw(request.baseUrl, request.raw);
              } catch (error) {
                const failure = error instanceof Error ? error : new Error(String(error));
                log.add(
                  {
                    kind: 'server-error',
                    operation: operation.key,
                    status: 0,
                    reason: `no answer (${failure.message})`,
                  },
                  () => exampleOf(request.describe, failure),
                );
                return;
              }
              statuses.add(res.status);
              const exchange = {
                operation,
                method: request.raw.method,
                status: res.status,
                headers: res.headers,
                body: res.body,
                rejections: request.rejections,
              };
              for (const finding of judge(exchange, validator)) {
                log.add(finding, () => exampleOf(request.describe, res));
              }
            }),
            // The property never fails (findings are collected), so nothing shrinks.
            { seed: seedOf(`${operation.key} ${mode}`), numRuns: RUNS, endOnFailure: true },
          );
        }
      }
      const coverage = [...exercised].map(
        ([key, statuses]) => `${key}: ${[...statuses].sort().join(', ')}`,
      );
      console.log(`statuses seen per operation:\n${coverage.join('\n')}`);
    },
    RUN_TIMEOUT_MS,
  );

  const oracles: [string, FindingKind[]][] = [
    ['never answers 5xx', ['server-error']],
    [
      'answers every error as problem+json {type,title,status,code} (RFC 6749 {error} on OAuth routes)',
      ['malformed-error'],
    ],
    [
      'answers only documented success statuses, with bodies matching the documented schema',
      ['undocumented-success', 'invalid-success-body'],
    ],
    [
      'refuses invalid input, bad credentials and other tenants',
      ['accepted-invalid-input', 'auth-bypass', 'cross-tenant'],
    ],
    ['answers only error statuses the operation documents', ['undocumented-status']],
  ];

  it.each(oracles)('%s', (_name, kinds) => {
    const findings = log.of(...kinds);
    if (findings.length > 0) {
      console.log(`${kinds.join(', ')} (seed ${SEED}):\n${formatFindings(findings)}`);
    }
    expect(
      findings.map(
        (f) => `${f.operation} -> ${f.status}${f.code ? ` ${f.code}` : ''}: ${f.reason}`,
      ),
    ).toEqual([]);
  });
});
