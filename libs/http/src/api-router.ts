import { Router, type ErrorRequestHandler, type RequestHandler } from 'express';
import { routeOfEndpoint, type Endpoint } from './endpoint';
import { isGuard, type Guard } from './guard';
import { prepareRoute } from './internal/prepare-request';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** A guard of a route or of a mounted router: request middleware, or error middleware after it. */
type AnyGuard = Guard<RequestHandler | ErrorRequestHandler>;

/** One line of the route table: what OpenAPI is generated from. */
export interface RouteRecord {
  method: HttpMethod;
  path: string;
  endpoint: Endpoint;
  /**
   * Every guard the route stands behind: those its router is mounted behind (`mountedBehind`),
   * then its own, in order. Their errors and authentication are the route's too.
   */
  guards: readonly AnyGuard[];
}

/** Guards (each declares what it answers, see `guard()`), then the endpoint. */
type Handlers = [...Guard[], Endpoint];

/** An Express router that remembers its routes, so the route table is also the API document. */
export interface ApiRouter {
  readonly router: Router;
  readonly routes: readonly RouteRecord[];
  get(path: string, ...handlers: Handlers): ApiRouter;
  post(path: string, ...handlers: Handlers): ApiRouter;
  put(path: string, ...handlers: Handlers): ApiRouter;
  patch(path: string, ...handlers: Handlers): ApiRouter;
  delete(path: string, ...handlers: Handlers): ApiRouter;
}

export interface ApiRouterOptions {
  /** Express `mergeParams`: see the params of the path the router is mounted at. */
  mergeParams?: boolean;
  /**
   * The guards the service mounts this router behind, e.g. `parent.use('/t/:tenant',
   * resolveTenant, api.router)`, and error middleware it places after it. The router does not
   * run them (the mount does), but documents their errors and authentication on every route, as
   * if each route listed them.
   */
  mountedBehind?: readonly AnyGuard[];
}

const isEndpoint = (handler: unknown): handler is Endpoint =>
  typeof handler === 'function' &&
  typeof (handler as { spec?: unknown }).spec === 'object' &&
  (handler as { spec?: unknown }).spec !== null;

/**
 * Only guards may stand before an endpoint: a middleware whose errors are undeclared would answer
 * statuses the document does not list. Types enforce it; this catches casts, at start-up.
 */
function checkChain(method: HttpMethod, path: string, handlers: readonly unknown[]): Endpoint {
  const endpoint = handlers[handlers.length - 1];
  const where = `${method.toUpperCase()} ${path}`;
  if (!isEndpoint(endpoint)) throw new Error(`${where}: the last handler must be an endpoint()`);
  for (const handler of handlers.slice(0, -1)) {
    if (!isGuard(handler)) {
      const name = typeof handler === 'function' && handler.name ? handler.name : 'anonymous';
      throw new Error(
        `${where}: middleware "${name}" does not declare its errors; make it with guard({ errors }, fn)`,
      );
    }
  }
  return endpoint;
}

/**
 * @example
 * const api = createApiRouter();
 * api.post('/v1/tenants', requireRole('owner'), tenants.create); // requireRole made by guard()
 * app.use(api.router);
 *
 * @example
 * // Mounted behind a guard: its errors are documented on every route of `api`.
 * const api = createApiRouter({ mergeParams: true, mountedBehind: [resolveTenant] });
 * parent.use('/t/:tenant', resolveTenant, api.router);
 */
export function createApiRouter(options: ApiRouterOptions = {}): ApiRouter {
  const router = Router({ strict: false, mergeParams: options.mergeParams ?? false });
  const routes: RouteRecord[] = [];
  const behind = [...(options.mountedBehind ?? [])];
  for (const handler of behind) {
    if (!isGuard(handler)) throw new Error('mountedBehind takes guards only (see guard())');
  }
  const add =
    (method: HttpMethod) =>
    (path: string, ...handlers: Handlers): ApiRouter => {
      const endpoint = checkChain(method, path, handlers);
      const own = handlers.slice(0, -1) as Guard[];
      routes.push({ method, path, endpoint, guards: [...behind, ...own] });
      // First on the route, before its guards: they then see a parsed form body, and what they
      // throw is answered in the endpoint's error format (OAuth, HTML or problem+json).
      router[method](
        path,
        prepareRoute(routeOfEndpoint(endpoint)),
        ...(handlers as RequestHandler[]),
      );
      return api;
    };
  const api: ApiRouter = {
    router,
    routes,
    get: add('get'),
    post: add('post'),
    put: add('put'),
    patch: add('patch'),
    delete: add('delete'),
  };
  return api;
}
