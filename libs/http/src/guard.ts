import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { ErrorCode } from './errors/codes';
import type { OAuthErrorCode } from './errors/oauth-error';

/**
 * What a middleware placed before an endpoint may answer, for the OpenAPI document: the route
 * table merges it into every route the middleware guards, so a guard's 401 or a limiter's 429 is
 * documented wherever that guard stands, and nowhere else.
 */
export interface GuardSpec {
  /** Every catalogue code the middleware may answer (or pass on to `next`); `[]` for none. */
  readonly errors: readonly ErrorCode[];
  /**
   * RFC 6749 codes it may answer as an `OAuthError` (client authentication: `invalid_client`),
   * documented on the OAuth routes (`errorFormat: 'oauth'`) it guards.
   */
  readonly oauthErrors?: readonly OAuthErrorCode[];
  /**
   * How it authenticates the caller, which becomes the route's OpenAPI `security`: `bearer` when
   * a bearer token is required, `optional-bearer` when one is checked only if sent
   * (`security: [{bearer: []}, {}]`). Routes with no authenticating guard document none.
   */
  readonly auth?: 'bearer' | 'optional-bearer';
}

/** A middleware that declares what it answers (`guard()`); the only kind a route table takes. */
export type Guard<H extends RequestHandler | ErrorRequestHandler = RequestHandler> = H & {
  readonly guardSpec: GuardSpec;
};

/**
 * Marks `handler` as a guard that may answer `spec.errors` (and authenticates as `spec.auth`).
 * `createApiRouter` takes only guards before an endpoint, so a middleware whose errors are not
 * declared cannot be placed in a route table; its codes then appear in the OpenAPI document of
 * every route it stands before. Works for error middleware too (four parameters).
 *
 * @example
 * export const requireUser = guard(
 *   { errors: ['unauthenticated', 'invalid_token'], auth: 'bearer' },
 *   async function authenticateUser(req, res, next) { ... },
 * );
 * api.get('/v1/me', requireUser, me.get); // documents 401 and `security: [{bearer: []}]`
 */
export function guard(spec: GuardSpec, handler: RequestHandler): Guard;
export function guard(spec: GuardSpec, handler: ErrorRequestHandler): Guard<ErrorRequestHandler>;
export function guard(
  spec: GuardSpec,
  handler: RequestHandler | ErrorRequestHandler,
): Guard<RequestHandler | ErrorRequestHandler> {
  const frozen: GuardSpec = Object.freeze({
    ...spec,
    errors: Object.freeze([...spec.errors]),
    ...(spec.oauthErrors ? { oauthErrors: Object.freeze([...spec.oauthErrors]) } : {}),
  });
  // A wrapper of the same arity (Express tells error middleware by its four parameters), so the
  // caller's function is never marked itself and one function can back differently declared guards.
  const call = handler as (...args: unknown[]) => unknown;
  const wrapped =
    handler.length === 4
      ? function (this: unknown, a: unknown, b: unknown, c: unknown, d: unknown) {
          return call.call(this, a, b, c, d);
        }
      : function (this: unknown, a: unknown, b: unknown, c: unknown) {
          return call.call(this, a, b, c);
        };
  Object.defineProperty(wrapped, 'name', { value: handler.name || 'guard' });
  return Object.assign(wrapped, { guardSpec: frozen });
}

/** Whether `handler` was made by `guard()`. */
export function isGuard(handler: unknown): handler is Guard<RequestHandler | ErrorRequestHandler> {
  return (
    typeof handler === 'function' &&
    typeof (handler as { guardSpec?: unknown }).guardSpec === 'object' &&
    (handler as { guardSpec?: unknown }).guardSpec !== null
  );
}
