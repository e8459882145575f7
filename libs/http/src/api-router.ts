import { Router, type RequestHandler } from 'express';
import { routeOfEndpoint, type Endpoint } from './endpoint';
import { prepareRoute } from './internal/prepare-request';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** One line of the route table: what OpenAPI is generated from. */
export interface RouteRecord {
  method: HttpMethod;
  path: string;
  endpoint: Endpoint;
}

type Handlers = [...RequestHandler[], Endpoint];

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

/**
 * @example
 * const api = createApiRouter();
 * api.post('/v1/tenants', requireRole('owner'), tenants.create);
 * app.use(api.router);
 */
export function createApiRouter(options: { mergeParams?: boolean } = {}): ApiRouter {
  const router = Router({ strict: false, mergeParams: options.mergeParams ?? false });
  const routes: RouteRecord[] = [];
  const add =
    (method: HttpMethod) =>
    (path: string, ...handlers: Handlers): ApiRouter => {
      const endpoint = handlers[handlers.length - 1] as Endpoint;
      routes.push({ method, path, endpoint });
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
