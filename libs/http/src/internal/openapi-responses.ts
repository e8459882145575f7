import { STATUS_CODES } from 'node:http';
import { z, type ZodType } from 'zod';
import type { AnyEndpointSpec } from '../endpoint-spec';
import { AppError } from '../errors/app-error';
import { ERROR_CODES, type ErrorCode } from '../errors/codes';
import { defaultOAuthStatus, type OAuthErrorCode } from '../errors/oauth-error';
import { toOAuthError } from '../errors/oauth-response';
import { isSchema, kindOf } from '../responses';
import type { Route } from './route-of';

type JsonSchema = Record<string, unknown>;

/** A zod schema as OpenAPI 3.1 JSON Schema. */
export function toSchema(schema: ZodType, io: 'input' | 'output'): JsonSchema {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  delete json.$schema;
  return json;
}

const problemRef = { $ref: '#/components/schemas/Problem' };
const oauthErrorRef = { $ref: '#/components/schemas/OAuthError' };
const htmlContent = { 'text/html': { schema: { type: 'string' } } };

const noStore = {
  'Cache-Control': { description: 'RFC 6749 §5.1', schema: { type: 'string', const: 'no-store' } },
  Pragma: { description: 'RFC 6749 §5.1', schema: { type: 'string', const: 'no-cache' } },
};

/** Every success status of a route: JSON by its schema, HTML, no content, or a redirect. */
export function successResponses(route: Route): Record<string, JsonSchema> {
  const responses: Record<string, JsonSchema> = {};
  for (const [status, spec] of route.responses) {
    const kind = kindOf(spec);
    const response: JsonSchema = {
      description: (isSchema(spec) ? spec.description : undefined) ?? STATUS_CODES[status] ?? '',
    };
    if (isSchema(spec)) {
      response.content = { [route.responseMediaType]: { schema: toSchema(spec, 'output') } };
    } else if (kind === 'html') {
      response.content = htmlContent;
    } else if (kind === 'redirect') {
      response.headers = {
        Location: {
          description: 'Where to go next (RFC 9110 §10.2.2)',
          required: true,
          schema: { type: 'string', format: 'uri-reference' },
        },
      };
    }
    if (route.format === 'oauth' && kind !== 'redirect') response.headers = noStore;
    responses[String(status)] = response;
  }
  return responses;
}

/**
 * The catalogue codes a route can answer: the endpoint's declared ones, its guards' (`guard()`),
 * and what its input can fail.
 */
function errorCodesOf(
  spec: AnyEndpointSpec,
  route: Route,
  guardErrors: Iterable<ErrorCode>,
): Set<ErrorCode> {
  // Guards first: they run first, so their codes lead each status's description.
  const codes = new Set<ErrorCode>([...guardErrors, ...(spec.errors ?? [])]);
  // Every route: an unknown query parameter, or a body where it takes none, is a 400.
  codes.add('validation_failed');
  if (route.hasBody) {
    codes.add('unsupported_media_type');
    codes.add('payload_too_large');
  }
  return codes;
}

/** What a route's guards declare (`guard()`), all of them together. */
export interface GuardErrors {
  errors: readonly ErrorCode[];
  /** Documented on OAuth routes only: elsewhere the route's own error format answers. */
  oauthErrors: readonly OAuthErrorCode[];
}

function group<T>(entries: Iterable<[number, T]>): Map<number, T[]> {
  const byStatus = new Map<number, T[]>();
  for (const [status, item] of entries)
    byStatus.set(status, [...(byStatus.get(status) ?? []), item]);
  return byStatus;
}

function oauthErrorResponses(
  spec: AnyEndpointSpec,
  route: Route,
  guards: GuardErrors,
): Record<string, JsonSchema> {
  const errors: [number, OAuthErrorCode][] = [...errorCodesOf(spec, route, guards.errors)].map(
    (code) => {
      const mapped = toOAuthError(new AppError(code));
      return [mapped.status, mapped.error];
    },
  );
  for (const code of [...guards.oauthErrors, ...(spec.oauthErrors ?? [])]) {
    errors.push([defaultOAuthStatus(code), code]);
  }
  for (const code of Object.values(spec.parameterErrors ?? {})) {
    if (code) errors.push([defaultOAuthStatus(code), code]);
  }
  const responses: Record<string, JsonSchema> = {};
  for (const [status, codes] of group(errors)) {
    responses[String(status)] = {
      description: [...new Set(codes)].join('; '),
      headers: {
        ...noStore,
        ...(status === 401
          ? { 'WWW-Authenticate': { description: 'RFC 6749 §5.2', schema: { type: 'string' } } }
          : {}),
      },
      content: { 'application/json': { schema: oauthErrorRef } },
    };
  }
  return responses;
}

/**
 * Every error status a route can answer, from its declared codes, its guards' and its input, in
 * the media type its error format uses: problem+json, RFC 6749 JSON or an HTML page.
 */
export function errorResponses(
  spec: AnyEndpointSpec,
  route: Route,
  guards: GuardErrors = { errors: [], oauthErrors: [] },
): Record<string, JsonSchema> {
  if (route.format === 'oauth') return oauthErrorResponses(spec, route, guards);
  const byStatus = group(
    [...errorCodesOf(spec, route, guards.errors)].map((code): [number, ErrorCode] => [
      ERROR_CODES[code].status,
      code,
    ]),
  );
  const responses: Record<string, JsonSchema> = {};
  for (const [status, codes] of byStatus) {
    const [first, ...rest] = codes;
    if (first === undefined) continue;
    responses[String(status)] = {
      description: [`${ERROR_CODES[first].title} (${first})`, ...rest].join('; '),
      content:
        route.format === 'html'
          ? htmlContent
          : { 'application/problem+json': { schema: problemRef } },
    };
  }
  return responses;
}
