import { Router, type Request, type RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export interface Metrics {
  readonly registry: Registry;
  /** Records method, route pattern and status of each request (never raw paths: cardinality). */
  readonly middleware: RequestHandler;
  readonly routes: Router;
}

/** The `route` label of a request no route matched (unknown paths, unknown tenants, 404s). */
const UNMATCHED = 'unmatched';

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * `req.baseUrl` with each segment a mount-path parameter matched replaced by `:name`:
 * `/t/acme` -> `/t/:tenant`. Only names and literal mount paths remain, so the result is one of
 * a fixed set whatever the client sends (percent-encoding, letter case, unknown slugs).
 */
function mountPattern(baseUrl: string, seen: ReadonlyMap<string, string>): string {
  const segments = baseUrl.split('/');
  const used = new Set<string>();
  // Right to left: the innermost mount's parameters are the last segments.
  for (let i = segments.length - 1; i > 0; i -= 1) {
    const value = decoded(segments[i] ?? '');
    for (const [name, paramValue] of seen) {
      if (!used.has(name) && paramValue === value) {
        segments[i] = `:${name}`;
        used.add(name);
        break;
      }
    }
  }
  return segments.join('/');
}

/**
 * Watches the router assign `req.params` and `req.route`, and keeps the full route pattern of the
 * route that matched (e.g. `/t/:tenant/v1/auth/sign-in`). Express keeps only the last router's
 * part (`req.route.path`) and the raw mount path (`req.baseUrl`), and restores `req.baseUrl` when a
 * request leaves a router on an error, so the pattern is taken the moment the route matches.
 */
function trackRoutePattern(req: Request): () => string {
  const seen = new Map<string, string>();
  let pattern = UNMATCHED;
  let params: unknown = req.params;
  let route: unknown = req.route;
  Object.defineProperty(req, 'params', {
    configurable: true,
    enumerable: true,
    get: () => params,
    set(value: unknown) {
      params = value;
      if (typeof value !== 'object' || value === null) return;
      for (const [name, paramValue] of Object.entries(value)) {
        if (typeof paramValue === 'string') seen.set(name, paramValue);
      }
    },
  });
  Object.defineProperty(req, 'route', {
    configurable: true,
    enumerable: true,
    get: () => route,
    set(value: unknown) {
      route = value;
      const path: unknown = (value as { path?: unknown } | undefined)?.path;
      if (typeof path === 'string') pattern = `${mountPattern(req.baseUrl, seen)}${path}`;
    },
  });
  return () => pattern;
}

/**
 * One Prometheus registry per service (two services may share a process in the embedded
 * default), with default process metrics and HTTP request metrics. The `route` label is the
 * matched route pattern, or `unmatched`: never a raw path, so neither the series count nor the
 * tenant slugs that exist can be read from `/metrics`.
 *
 * @example
 * const metrics = createMetrics('control_plane');
 * app.use(metrics.middleware); app.use(metrics.routes);
 */
export function createMetrics(service: string): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method and route pattern',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const middleware: RequestHandler = function recordRequest(req, res, next) {
    const stop = duration.startTimer();
    const routeOf = trackRoutePattern(req);
    res.on('finish', () => {
      const route = routeOf();
      requests.inc({ method: req.method, route, status: String(res.statusCode) });
      stop({ method: req.method, route });
    });
    next();
  };
  const routes = Router();
  routes.get('/metrics', async function serveMetrics(_req, res) {
    res.type(registry.contentType).send(await registry.metrics());
  });
  return { registry, middleware, routes };
}
