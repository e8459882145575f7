import { z } from 'zod';
import type { AnyEndpointSpec, ErrorFormat } from '../endpoint-spec';
import { HtmlPage, kindOf, NoBody, type ResponseSpec } from '../responses';

/** An endpoint's spec, normalized: what its requests take and every status it may answer. */
export interface Route {
  readonly responses: ReadonlyMap<number, ResponseSpec>;
  readonly format: ErrorFormat;
  readonly accepts: 'json' | 'form';
  readonly hasBody: boolean;
  /** The media types of a body the handler streams itself (`streamBody`); undefined otherwise. */
  readonly streamTypes: readonly string[] | undefined;
  /** The media type of a success body the handler streams itself (`streamResponse`). */
  readonly responseMediaType: string;
  /**
   * The query parameters the route knows; any other is `400 validation_failed`. `undefined`
   * when unknown ones are let through: OAuth routes (RFC 6749 §3.1 says to ignore them), and
   * a query schema that is not an object or opts in with `z.looseObject`/`.catchall()`.
   */
  readonly queryKeys: ReadonlySet<string> | undefined;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Fails at start-up, not on the first request, for a spec no request could be served by. */
function check(summary: string, responses: ReadonlyMap<number, ResponseSpec>): void {
  if (responses.size === 0) throw new Error(`"${summary}" declares no response`);
  for (const [status, spec] of responses) {
    const kind = kindOf(spec);
    if (!Number.isInteger(status) || status < 200 || status > 399) {
      throw new Error(`"${summary}" declares ${status}; success statuses are 2xx and 3xx`);
    }
    if (kind === 'redirect' && !REDIRECTS.has(status)) {
      throw new Error(`"${summary}": ${status} is not a redirect status (301/302/303/307/308)`);
    }
    if (kind !== 'redirect' && REDIRECTS.has(status)) {
      throw new Error(`"${summary}": ${status} is a redirect status; declare it as Redirect`);
    }
    // RFC 9110 §15.3.5, §15.4.5: 204 and 304 have no content.
    if ((status === 204 || status === 304) && kind !== 'empty') {
      throw new Error(`"${summary}": ${status} cannot carry a body`);
    }
  }
}

function responsesOf(spec: AnyEndpointSpec): ReadonlyMap<number, ResponseSpec> {
  if (spec.responses) {
    if (spec.response !== undefined || spec.status !== undefined) {
      throw new Error(`"${spec.summary}": give either responses or response/status, not both`);
    }
    return new Map(Object.entries(spec.responses).map(([status, r]) => [Number(status), r]));
  }
  const status = spec.status ?? 200;
  return new Map([[status, status === 204 || !spec.response ? NoBody : spec.response]]);
}

/** The keys of an object schema (through `.transform()` pipes), unless it takes unknown keys. */
function knownKeys(schema: unknown): ReadonlySet<string> | undefined {
  if (schema instanceof z.ZodPipe) return knownKeys(schema.in);
  if (!(schema instanceof z.ZodObject)) return undefined;
  const catchall: unknown = schema.def.catchall;
  if (catchall !== undefined && !(catchall instanceof z.ZodNever)) return undefined;
  return new Set(Object.keys(schema.shape));
}

function queryKeysOf(spec: AnyEndpointSpec, format: ErrorFormat): ReadonlySet<string> | undefined {
  if (format === 'oauth') return undefined;
  return spec.query ? knownKeys(spec.query) : new Set();
}

/**
 * Normalizes a spec once, when the endpoint is defined.
 *
 * @example
 * const route = routeOf({ summary: 'Sign-in page', response: HtmlPage }); // format 'html'
 */
export function routeOf(spec: AnyEndpointSpec): Route {
  const responses = responsesOf(spec);
  check(spec.summary, responses);
  const answersHtml = [...responses.values()].some((r) => r === HtmlPage);
  const format = spec.errorFormat ?? (answersHtml ? 'html' : 'problem');
  return {
    responses,
    format,
    accepts: spec.accepts ?? 'json',
    hasBody: spec.body !== undefined || spec.streamBody !== undefined,
    streamTypes: spec.streamBody?.mediaTypes,
    responseMediaType: spec.streamResponse?.mediaType ?? 'application/json',
    queryKeys: queryKeysOf(spec, format),
  };
}
