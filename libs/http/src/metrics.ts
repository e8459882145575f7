import express, { Router, type Request, type RequestHandler } from 'express';
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

const PARAMS = Symbol('req.params');
const ROUTE = Symbol('req.route');
const TRACKING = Symbol('route pattern tracking');

/** What one tracked request has seen on its way through the routers. */
interface Tracking {
  /** Every object the routers assigned to `req.params`, in order (later ones win). */
  assigned: unknown[];
  /** The route that matched last: its path, the mount path then, and the params seen by then. */
  matched?: { path: string; baseUrl: string; assignedCount: number };
}

interface TrackedRequest {
  [PARAMS]?: unknown;
  [ROUTE]?: unknown;
  [TRACKING]?: Tracking;
  baseUrl?: string;
}

/** The parameter values the routers matched, by name (the innermost assignment wins). */
function seenParams(assigned: readonly unknown[]): Map<string, string> {
  const seen = new Map<string, string>();
  for (const params of assigned) {
    if (typeof params !== 'object' || params === null) continue;
    for (const [name, value] of Object.entries(params)) {
      if (typeof value === 'string') seen.set(name, value);
    }
  }
  return seen;
}

/**
 * Watches the router assign `req.params` and `req.route`, and keeps the full route pattern of the
 * route that matched (e.g. `/t/:tenant/v1/auth/sign-in`). Express keeps only the last router's
 * part (`req.route.path`) and the raw mount path (`req.baseUrl`), and restores `req.baseUrl` when a
 * request leaves a router on an error, so the match is noted the moment the route matches.
 *
 * The accessors sit once on Express's request prototype rather than on each request: defining
 * properties on every request object costs a property redefinition per request and turns the
 * request into a slow dictionary-mode object for everything after. A request the metrics
 * middleware did not mark behaves exactly as before (its values are only stored).
 */
function installRouteTracking(): void {
  const proto = express.request as object;
  if (Object.getOwnPropertyDescriptor(proto, 'route') !== undefined) return;
  Object.defineProperty(proto, 'params', {
    configurable: true,
    enumerable: true,
    get(this: TrackedRequest): unknown {
      return this[PARAMS];
    },
    set(this: TrackedRequest, value: unknown) {
      this[PARAMS] = value;
      this[TRACKING]?.assigned.push(value);
    },
  });
  Object.defineProperty(proto, 'route', {
    configurable: true,
    enumerable: true,
    get(this: TrackedRequest): unknown {
      return this[ROUTE];
    },
    set(this: TrackedRequest, value: unknown) {
      this[ROUTE] = value;
      const tracking = this[TRACKING];
      if (tracking === undefined) return;
      const path: unknown = (value as { path?: unknown } | undefined)?.path;
      // Noted now (Express restores `baseUrl` on the way out), turned into a pattern once, at the end.
      if (typeof path === 'string') {
        tracking.matched = {
          path,
          baseUrl: this.baseUrl ?? '',
          assignedCount: tracking.assigned.length,
        };
      }
    },
  });
}

/** Starts tracking `req` (see `installRouteTracking`); the function reads the pattern found. */
function trackRoutePattern(req: Request): () => string {
  const tracking: Tracking = { assigned: [] };
  const tracked = req as TrackedRequest;
  tracked[TRACKING] = tracking;
  // Params assigned before this middleware (an app mounted under a path) count too.
  if (tracked[PARAMS] !== undefined) tracking.assigned.push(tracked[PARAMS]);
  return () => {
    const { matched } = tracking;
    if (matched === undefined) return UNMATCHED;
    const seen = seenParams(tracking.assigned.slice(0, matched.assignedCount));
    return `${mountPattern(matched.baseUrl, seen)}${matched.path}`;
  };
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
  installRouteTracking();
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
