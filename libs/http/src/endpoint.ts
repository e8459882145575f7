import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ZodError, type z, type ZodType } from 'zod';
import { AppError } from './errors/app-error';
import type { ErrorCode } from './errors/codes';
import { fieldErrors } from './errors/problem';

type Schema = ZodType;
type Infer<S> = S extends ZodType ? z.output<S> : undefined;

/** What an endpoint accepts and answers: feeds validation and the OpenAPI document alike. */
export interface EndpointSpec<
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  B extends Schema | undefined = undefined,
  R extends Schema | undefined = undefined,
> {
  summary: string;
  description?: string;
  tags?: string[];
  params?: P;
  query?: Q;
  body?: B;
  /** Body media type: JSON (default) or, for OAuth endpoints, form-encoded. */
  accepts?: 'json' | 'form';
  response?: R;
  /** Success status; 204 sends no body. */
  status?: number;
  /** Auth needed, for the docs: `bearer` or `none` (default `bearer`). */
  auth?: 'bearer' | 'none' | 'internal';
  /** Error codes worth documenting. */
  errors?: ErrorCode[];
  /** Internal endpoints never appear in the public OpenAPI document. */
  internal?: boolean;
}

export interface EndpointInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
}

export type EndpointHandler<P, Q, B, R> = (
  input: EndpointInput<P, Q, B>,
  req: Request,
  res: Response,
) => Promise<R>;

/** A request handler that carries its spec for the route table and OpenAPI. */
export type Endpoint = RequestHandler & {
  readonly spec: EndpointSpec<
    Schema | undefined,
    Schema | undefined,
    Schema | undefined,
    Schema | undefined
  >;
};

function parsePart(schema: Schema | undefined, value: unknown, part: string): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value ?? (part === 'body' ? undefined : {}));
  if (!result.success) {
    throw new AppError('validation_failed', `The request ${part} is not valid.`, {
      errors: fieldErrors(result.error, part),
    });
  }
  return result.data;
}

function checkMediaType(req: Request, accepts: 'json' | 'form'): void {
  const hasBody =
    req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0';
  if (!hasBody && req.headers['transfer-encoding'] === undefined) return;
  const ok =
    accepts === 'form'
      ? req.is(['application/x-www-form-urlencoded', 'application/json'])
      : req.is(['application/json', 'application/*+json']);
  if (!ok) throw new AppError('unsupported_media_type');
}

/**
 * Defines a route handler from zod schemas: input is parsed strictly before `handler` runs
 * (400 naming each field at fault), and the result is parsed with `response`, which strips any
 * field the schema does not declare, so a new column can never leak.
 *
 * @example
 * export const getTenant = endpoint(
 *   { summary: 'Get a tenant', params: TenantParams, response: Tenant },
 *   async function getTenant({ params }) { return service.get(params.tenant); },
 * );
 */
export function endpoint<
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  B extends Schema | undefined = undefined,
  R extends Schema | undefined = undefined,
>(
  spec: EndpointSpec<P, Q, B, R>,
  handler: EndpointHandler<Infer<P>, Infer<Q>, Infer<B>, R extends ZodType ? z.input<R> : unknown>,
): Endpoint {
  const status = spec.status ?? 200;
  async function run(req: Request, res: Response): Promise<void> {
    if (spec.body) checkMediaType(req, spec.accepts ?? 'json');
    const input = {
      params: parsePart(spec.params, req.params, 'params'),
      query: parsePart(spec.query, req.query, 'query'),
      body: parsePart(spec.body, req.body, 'body'),
    } as EndpointInput<Infer<P>, Infer<Q>, Infer<B>>;
    const result = await handler(input, req, res);
    if (res.headersSent) return;
    if (status === 204 || spec.response === undefined) {
      res.status(status).end();
      return;
    }
    const parsed = spec.response.safeParse(result);
    if (!parsed.success) {
      throw new Error(`response of "${spec.summary}" breaks its schema`, {
        cause: new ZodError(parsed.error.issues),
      });
    }
    res.status(status).json(parsed.data);
  }
  const named = {
    [handler.name || 'handler']: function (req: Request, res: Response, next: NextFunction) {
      run(req, res).catch(next);
    },
  };
  const middleware = named[handler.name || 'handler'] as RequestHandler;
  return Object.assign(middleware, { spec }) as Endpoint;
}
