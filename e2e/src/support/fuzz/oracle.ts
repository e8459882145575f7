import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { documentedResponse, type JsonSchema, type Operation } from './openapi-model';

/** What kind of contract a response broke. */
export type FindingKind =
  /** A 5xx (other than a documented 503 with Retry-After), or no answer at all. */
  | 'server-error'
  /** A 4xx/5xx whose body is not problem+json `{type,title,status,code}` (or RFC 6749 `{error}`). */
  | 'malformed-error'
  /** A 2xx/3xx the operation does not document. */
  | 'undocumented-success'
  /** A documented 2xx whose body does not match the documented media type or schema. */
  | 'invalid-success-body'
  /** A 2xx for input that breaks the documented schema (or NUL bytes, forged cursors, ...). */
  | 'accepted-invalid-input'
  /** A 2xx for a bearer operation called without valid credentials of the right kind. */
  | 'auth-bypass'
  /** A 2xx for another tenant's resource, or for a request naming the wrong tenant. */
  | 'cross-tenant'
  /** A 4xx/5xx status the operation does not document. */
  | 'undocumented-status';

export interface Finding {
  kind: FindingKind;
  operation: string;
  status: number;
  /** The problem `code` (or OAuth `error`) of the answer, when it has one. */
  code?: string;
  /** Why it is a finding, one line. */
  reason: string;
}

/** Why a request must not succeed, as the request builder knows it. */
export interface Rejection {
  kind: 'accepted-invalid-input' | 'auth-bypass' | 'cross-tenant';
  /** A short stable label (`body-schema`, `unknown-query`, `nul`, `garbage-bearer`, ...). */
  label: string;
  /** Only when the answer issues tokens (a refresh with a bad refresh token, say). */
  onlyIfIssuesTokens?: boolean;
}

export interface Exchange {
  operation: Operation;
  method: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** Reasons this request should have been refused; empty for a valid request. */
  rejections: Rejection[];
}

/** ajv 2020-12 over the document's schemas, compiled once per schema object. */
export class SchemaValidator {
  private readonly ajv: Ajv2020;
  private readonly cache = new WeakMap<object, ValidateFunction>();

  constructor(options: { coerceTypes?: boolean } = {}) {
    this.ajv = new Ajv2020({
      strict: false,
      allErrors: true,
      validateFormats: true,
      coerceTypes: options.coerceTypes ?? false,
    });
    addFormats(this.ajv);
  }

  /** Error lines (`/path message`), or an empty list when `value` matches. */
  errors(schema: JsonSchema, components: object, value: unknown): string[] {
    if (schema === true) return [];
    if (schema === false) return ['schema is false'];
    let validate = this.cache.get(schema);
    if (!validate) {
      // Inline the components so `#/components/...` references resolve against this root.
      validate = this.ajv.compile({ ...schema, components });
      this.cache.set(schema, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map(
      (error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`,
    );
  }
}

const mediaTypeOf = (header: string | string[] | undefined): string =>
  (Array.isArray(header) ? header[0] : header)?.split(';')[0]?.trim().toLowerCase() ?? '';

function parseJson(body: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) };
  } catch {
    return { ok: false };
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function errorCodeOf(body: Buffer): string | undefined {
  const parsed = parseJson(body);
  if (!parsed.ok || !isRecord(parsed.value)) return undefined;
  const code = parsed.value.code ?? parsed.value.error;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Node's HTTP parser refuses some requests (raw non-ASCII bytes in the path, oversized headers)
 * before any route runs, and the router's decoding of a path parameter (`%ED%BF%BF`) fails before
 * the route's handlers run; so no route can choose the error format: the server answers those in
 * problem+json with one of these codes, OAuth or HTML path or not.
 */
const PARSER_REFUSALS = new Set([
  'malformed_request',
  'malformed_path',
  'headers_too_large',
  'request_timeout',
]);

function isParserRefusal(mediaType: string, parsed: ReturnType<typeof parseJson>): boolean {
  if (mediaType !== 'application/problem+json' || !parsed.ok || !isRecord(parsed.value)) {
    return false;
  }
  const { code } = parsed.value;
  return typeof code === 'string' && PARSER_REFUSALS.has(code);
}

function checkErrorBody(exchange: Exchange, validator: SchemaValidator): string | undefined {
  const { operation, status, headers, body } = exchange;
  const mediaType = mediaTypeOf(headers['content-type']);
  const parsed = parseJson(body);
  if (operation.errorFormat === 'html' && !isParserRefusal(mediaType, parsed)) {
    // An HTML page's error is a page (no problem document to check), never a stack trace.
    if (mediaType !== 'text/html') return `content-type ${mediaType || '(none)'}, not text/html`;
    return undefined;
  }
  if (operation.errorFormat === 'oauth' && !isParserRefusal(mediaType, parsed)) {
    if (mediaType !== 'application/json')
      return `content-type ${mediaType || '(none)'}, not application/json`;
    if (!parsed.ok || !isRecord(parsed.value)) return 'body is not a JSON object';
    if (typeof parsed.value.error !== 'string') return 'no RFC 6749 "error" string';
    const description = parsed.value.error_description;
    if (description !== undefined && typeof description !== 'string') {
      return '"error_description" is not a string';
    }
  } else {
    if (mediaType !== 'application/problem+json') {
      return `content-type ${mediaType || '(none)'}, not application/problem+json`;
    }
    if (!parsed.ok || !isRecord(parsed.value)) return 'body is not a JSON object';
    const problem = parsed.value;
    for (const field of ['type', 'title', 'code'] as const) {
      if (typeof problem[field] !== 'string') return `problem has no string "${field}"`;
    }
    if (problem.status !== status) {
      return `problem "status" ${JSON.stringify(problem.status)} differs from HTTP ${status}`;
    }
  }
  const documented = documentedResponse(operation, status);
  const schema = documented?.content[mediaType];
  if (schema !== undefined) {
    const errors = validator.errors(schema, operation.components, parsed.value);
    if (errors.length > 0) return `body does not match the documented schema: ${errors.join('; ')}`;
  }
  return undefined;
}

function checkSuccessBody(exchange: Exchange, validator: SchemaValidator): string | undefined {
  const { operation, status, headers, body } = exchange;
  const documented = documentedResponse(operation, status);
  if (!documented) return undefined;
  const mediaTypes = Object.keys(documented.content);
  if (exchange.method === 'HEAD') return undefined;
  if (mediaTypes.length === 0) {
    return body.length === 0 ? undefined : `${body.length} body bytes where none are documented`;
  }
  const mediaType = mediaTypeOf(headers['content-type']);
  const schema = documented.content[mediaType];
  if (schema === undefined) {
    return `content-type ${mediaType || '(none)'}, documented: ${mediaTypes.join(', ')}`;
  }
  if (mediaType === 'application/x-ndjson') return checkJsonLines(exchange, schema, validator);
  if (!mediaType.endsWith('json')) return undefined;
  const parsed = parseJson(body);
  if (!parsed.ok) return 'body is not JSON';
  const errors = validator.errors(schema, operation.components, parsed.value);
  return errors.length > 0
    ? `body does not match the documented schema: ${errors.join('; ')}`
    : undefined;
}

/** JSON Lines (a streamed export): every line is one document of the documented schema. */
function checkJsonLines(
  exchange: Exchange,
  schema: JsonSchema,
  validator: SchemaValidator,
): string | undefined {
  const lines = exchange.body
    .toString('utf8')
    .split('\n')
    .filter((line) => line !== '');
  for (const [index, line] of lines.entries()) {
    const parsed = parseJson(Buffer.from(line));
    if (!parsed.ok) return `line ${index + 1} is not JSON`;
    const errors = validator.errors(schema, exchange.operation.components, parsed.value);
    if (errors.length > 0)
      return `line ${index + 1} does not match the documented schema: ${errors.join('; ')}`;
  }
  return undefined;
}

function issuesTokens(body: Buffer): boolean {
  const parsed = parseJson(body);
  return parsed.ok && isRecord(parsed.value) && typeof parsed.value.access_token === 'string';
}

/**
 * The oracles: every way `exchange`'s answer breaks the HTTP contract (docs/testing.md,
 * "Fuzzing"). An empty list means the answer is acceptable for that request.
 */
export function judge(exchange: Exchange, validator: SchemaValidator): Finding[] {
  const { operation, status, headers } = exchange;
  const findings: Finding[] = [];
  const code = status >= 400 ? errorCodeOf(exchange.body) : undefined;
  const add = (kind: FindingKind, reason: string) => {
    findings.push({
      kind,
      operation: operation.key,
      status,
      ...(code === undefined ? {} : { code }),
      reason,
    });
  };
  const documented = documentedResponse(operation, status);

  if (status >= 500) {
    const outage =
      status === 503 && documented !== undefined && headers['retry-after'] !== undefined;
    if (!outage) add('server-error', `answered ${status}`);
  }
  if (status >= 400) {
    const problem = checkErrorBody(exchange, validator);
    if (problem) add('malformed-error', problem);
    // A 5xx is a server-error already, documented or not.
    if (!documented && status < 500) add('undocumented-status', `${status} is not documented`);
    return findings;
  }
  if (!documented) {
    add('undocumented-success', `${status} is not documented`);
  } else {
    const problem = checkSuccessBody(exchange, validator);
    if (problem) add('invalid-success-body', problem);
  }
  if (status < 300) {
    for (const rejection of exchange.rejections) {
      if (rejection.onlyIfIssuesTokens && !issuesTokens(exchange.body)) continue;
      add(rejection.kind, `${status} for a request with ${rejection.label}`);
    }
  }
  return findings;
}

export interface LoggedFinding extends Finding {
  /** How many requests hit it. */
  count: number;
  /** The first request that did, and its answer (abridged). */
  example: string;
}

/** Findings, one per (kind, operation, status, code, reason-label), with a count and an example. */
export class FindingLog {
  private readonly byKey = new Map<string, LoggedFinding>();

  add(finding: Finding, example: () => string): void {
    // Schema error messages and labels carry specifics; the first 60 characters group them.
    const key = [
      finding.kind,
      finding.operation,
      finding.status,
      finding.code,
      finding.reason.slice(0, 60),
    ].join('|');
    const logged = this.byKey.get(key);
    if (logged) logged.count++;
    else this.byKey.set(key, { ...finding, count: 1, example: example() });
  }

  of(...kinds: FindingKind[]): LoggedFinding[] {
    return [...this.byKey.values()].filter((finding) => kinds.includes(finding.kind));
  }

  all(): LoggedFinding[] {
    return [...this.byKey.values()];
  }
}

/** One readable block per finding: operation, status and code, reason, count, and the example. */
export function formatFindings(findings: LoggedFinding[]): string {
  return findings
    .map(
      (finding) =>
        `${finding.operation} -> ${finding.status}${finding.code ? ` ${finding.code}` : ''}: ${finding.reason} (x${finding.count})\n${finding.example
          .split('\n')
          .map((line) => `    ${line}`)
          .join('\n')}`,
    )
    .join('\n');
}
