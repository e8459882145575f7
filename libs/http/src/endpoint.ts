import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ZodType } from 'zod';
import type { AnyEndpointSpec, EndpointSpec, HandlerFor, SingleResponse } from './endpoint-spec';
import { AppError } from './errors/app-error';
import { invalidParameter } from './errors/oauth-response';
import { fieldErrors } from './errors/problem';
import { prepareRequest } from './internal/prepare-request';
import { routeOf, type Route } from './internal/route-of';
import { sendReply } from './internal/send-reply';
import { Reply, responder, type ResponseMap } from './responses';

type Schema = ZodType;

/** A request handler that carries its spec for the route table and OpenAPI. */
export type Endpoint = RequestHandler & { readonly spec: AnyEndpointSpec };

const routes = new WeakMap<Endpoint, Route>();

/** The normalized spec of an endpoint made by `endpoint()`. */
export function routeOfEndpoint(endpoint: Endpoint): Route {
  return routes.get(endpoint) ?? routeOf(endpoint.spec);
}

/** RFC 6749 §3.1: a parameter sent without a value is treated as omitted. */
function withoutEmpty(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const entries = Object.entries(value);
  // Most requests send no empty parameter: then the object is passed on as it is, not copied.
  if (!entries.some(([, v]) => v === '')) return value;
  return Object.fromEntries(entries.filter(([, v]) => v !== ''));
}

/**
 * Input is strict everywhere: a query parameter the route does not know is a 400 naming it (the
 * first ten, each cut to 64 characters).
 */
function rejectUnknownQuery(route: Route, query: unknown): void {
  if (route.queryKeys === undefined || typeof query !== 'object' || query === null) return;
  const unknown = Object.keys(query)
    .filter((key) => !route.queryKeys?.has(key))
    .slice(0, 10)
    .map((key) => key.slice(0, 64));
  if (unknown.length === 0) return;
  throw new AppError(
    'validation_failed',
    `Unknown query parameter${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}.`,
    { errors: unknown.map((key) => ({ path: `query.${key}`, message: 'unknown field' })) },
  );
}

function parsePart(
  spec: AnyEndpointSpec,
  route: Route,
  part: 'params' | 'query' | 'body',
  value: unknown,
): unknown {
  if (part === 'query') rejectUnknownQuery(route, value);
  const schema = spec[part];
  if (!schema) return undefined;
  // An absent form body is a request with no parameters, not a missing document.
  const given = value ?? (part === 'body' && route.accepts === 'json' ? undefined : {});
  const input = route.format === 'oauth' ? withoutEmpty(given) : given;
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  if (route.format === 'oauth') throw invalidParameter(result.error, input, spec.parameterErrors);
  throw new AppError('validation_failed', `The request ${part} is not valid.`, {
    errors: fieldErrors(result.error, part),
  });
}

/**
 * Defines a route handler from zod schemas. Input is parsed strictly before `handler` runs (400
 * naming each field at fault); the answer is checked against the schema of its status, which
 * strips any field the schema does not declare, so a new column can never leak. Answering a status
 * the spec does not declare is a server bug: 500 `unexpected_failure`.
 *
 * With `response` (+ `status`, default 200) the handler returns the body. With `responses` it
 * returns `reply(status, body)` or `redirect(url, status)`, both typed by the map.
 *
 * @example
 * export const getTenant = endpoint(
 *   { summary: 'Get a tenant', params: TenantParams, response: Tenant },
 *   async function getTenant({ params }) { return service.get(params.tenant); },
 * );
 *
 * @example
 * export const signUp = endpoint(
 *   { summary: 'Sign up', body: SignUpBody, responses: { 201: SignedUp, 202: SignUpAccepted } },
 *   async function signUp({ body, reply }) {
 *     const result = await auth.signUp(body);
 *     return result.kind === 'accepted' ? reply(202, { status: 'accepted' }) : reply(201, result);
 *   },
 * );
 *
 * @example
 * export const token = endpoint(
 *   { summary: 'Token', accepts: 'form', body: TokenRequest, response: TokenResponse,
 *     errorFormat: 'oauth', parameterErrors: { grant_type: 'unsupported_grant_type' } },
 *   async function token({ body }) { return grants.handle(body); },
 * );
 */
export function endpoint<
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  B extends Schema | undefined = undefined,
  R extends SingleResponse | undefined = undefined,
  Rs extends ResponseMap | undefined = undefined,
>(spec: EndpointSpec<P, Q, B, R, Rs>, handler: HandlerFor<P, Q, B, R, Rs>): Endpoint {
  const anySpec = spec as AnyEndpointSpec;
  const route = routeOf(anySpec);
  const call = handler as (input: object, req: Request, res: Response) => Promise<unknown>;
  async function run(req: Request, res: Response): Promise<void> {
    await prepareRequest(req, res, route);
    const input = {
      params: parsePart(anySpec, route, 'params', req.params),
      // `req.query` parses the query string on every read: not read when nothing would look at it.
      query:
        anySpec.query === undefined && route.queryKeys === undefined
          ? undefined
          : parsePart(anySpec, route, 'query', req.query),
      body: parsePart(anySpec, route, 'body', req.body),
    };
    const result = await call(spec.responses ? { ...input, ...responder } : input, req, res);
    // A handler may still answer by hand through `res` (e.g. streaming); that is its call.
    if (res.headersSent) return;
    if (!spec.responses) {
      const [status] = route.responses.keys();
      sendReply(res, anySpec.summary, route, new Reply(status ?? 200, result));
      return;
    }
    if (!Reply.is(result)) {
      throw new Error(`"${anySpec.summary}" must answer with reply() or redirect()`);
    }
    sendReply(res, anySpec.summary, route, result);
  }
  const name = handler.name || 'handler';
  const named = {
    [name]: function (req: Request, res: Response, next: NextFunction) {
      run(req, res).catch(next);
    },
  };
  const middleware = Object.assign(named[name] as RequestHandler, { spec: anySpec });
  routes.set(middleware, route);
  return middleware;
}
