import type { Request, Response } from 'express';
import type { z, ZodType } from 'zod';
import type { ErrorCode } from './errors/codes';
import type { OAuthErrorCode } from './errors/oauth-error';
import type { ParameterErrors } from './errors/oauth-response';
import type { SafeHtml } from './html';
import type { ReplyOf, Responder, ResponseKind, ResponseMap } from './responses';

type Schema = ZodType;

/**
 * How a route answers errors: RFC 9457 problem+json, RFC 6749 `{error, error_description}`, or an
 * HTML page.
 *
 * @example
 * endpoint({ summary: 'Revoke', errorFormat: 'oauth', accepts: 'form', body: Revoke }, revoke);
 */
export type ErrorFormat = 'problem' | 'oauth' | 'html';

/** The body of the single-status shorthand: a zod schema for JSON, or `HtmlPage`. */
export type SingleResponse = ZodType | ResponseKind<'html'>;

/** What an endpoint accepts and answers: feeds validation and the OpenAPI document alike. */
export interface EndpointSpec<
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  B extends Schema | undefined = undefined,
  R extends SingleResponse | undefined = undefined,
  Rs extends ResponseMap | undefined = undefined,
> {
  summary: string;
  description?: string;
  tags?: string[];
  params?: P;
  query?: Q;
  body?: B;
  /**
   * Body media type: JSON (default) or `application/x-www-form-urlencoded` for OAuth endpoints
   * (RFC 6749 §3.2) and HTML forms. Form fields are strings and each may appear once.
   */
  accepts?: 'json' | 'form';
  /**
   * A body the handler reads itself from `req` as a stream (e.g. JSON Lines too large to buffer),
   * in one of `mediaTypes` (else 415). Nothing is parsed or buffered for it; `schema` documents it
   * in OpenAPI only. Use instead of `body`.
   */
  streamBody?: { mediaTypes: readonly string[]; schema: ZodType; description?: string };
  /**
   * The media type of a body the handler streams itself through `res` (e.g.
   * `application/x-ndjson`, each line one `response`): OpenAPI documents the success response
   * under it instead of `application/json`.
   */
  streamResponse?: { mediaType: string };
  /** Shorthand for one success status: the body of `status` (none when left out or for 204). */
  response?: R;
  /** Shorthand success status (default 200); the handler returns the body. */
  status?: number;
  /**
   * Every success status with what it carries, e.g. `{ 201: User, 202: Accepted, 303: Redirect }`;
   * the handler picks one with `reply`/`redirect`. Use instead of `response` + `status`.
   */
  responses?: Rs;
  /**
   * How errors answer: `problem` (RFC 9457, the default), `html` (the default when the endpoint
   * answers `HtmlPage`), or `oauth`: RFC 6749 `{error, error_description}`, invalid input as
   * `invalid_request` naming the parameter, repeated parameters rejected and empty ones ignored
   * (RFC 6749 §3.1), and every answer `Cache-Control: no-store` (§5.1). OAuth schemas should be
   * `z.object`, not strict: §3.1 says unknown parameters are ignored.
   */
  errorFormat?: ErrorFormat;
  /** With `errorFormat: 'oauth'`: the error a present but invalid parameter answers. */
  parameterErrors?: ParameterErrors;
  /**
   * The error codes the handler itself may answer. Its guards' codes and authentication come from
   * the route table (`guard()`), and what its input can fail (400, 413, 415) is added for it.
   */
  errors?: ErrorCode[];
  /** OAuth error codes worth documenting (with `errorFormat: 'oauth'`). */
  oauthErrors?: OAuthErrorCode[];
  /** Internal endpoints never appear in the public OpenAPI document. */
  internal?: boolean;
}

/** Any endpoint's spec, as the route table and the OpenAPI builder see it. */
export type AnyEndpointSpec = EndpointSpec<
  Schema | undefined,
  Schema | undefined,
  Schema | undefined,
  SingleResponse | undefined,
  ResponseMap | undefined
>;

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

/**
 * A handler of an endpoint with `responses`: it answers through `reply` or `redirect`.
 *
 * @example
 * const signUp: MultiStatusHandler<undefined, undefined, SignUp, typeof responses> =
 *   async ({ body, reply }) => reply(202, { status: 'accepted' });
 */
export type MultiStatusHandler<P, Q, B, Rs> = (
  input: EndpointInput<P, Q, B> & Responder<Rs>,
  req: Request,
  res: Response,
) => Promise<ReplyOf<Rs>>;

type Infer<S> = S extends ZodType ? z.output<S> : undefined;
type BodyOf<R> = R extends ZodType
  ? z.input<R>
  : R extends ResponseKind<'html'>
    ? SafeHtml
    : unknown;

/** The handler `endpoint` expects for a spec: by `responses` if given, else by `response`. */
export type HandlerFor<P, Q, B, R, Rs> = [Rs] extends [ResponseMap]
  ? MultiStatusHandler<Infer<P>, Infer<Q>, Infer<B>, Rs>
  : EndpointHandler<Infer<P>, Infer<Q>, Infer<B>, BodyOf<R>>;
