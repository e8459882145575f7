import { Router, type RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export interface Metrics {
  readonly registry: Registry;
  /** Records method, route pattern and status of each request (never raw paths: cardinality). */
  readonly middleware: RequestHandler;
  readonly routes: Router;
}

/**
 * One Prometheus registry per service (two services may share a process in the embedded
 * default), with default process metrics and HTTP request metrics.
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
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method and route',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const middleware: RequestHandler = function recordRequest(req, res, next) {
    const stop = duration.startTimer();
    res.on('finish', () => {
      const pattern: unknown = (req.route as { path?: unknown } | undefined)?.path;
      const route = typeof pattern === 'string' ? `${req.baseUrl}${pattern}` : 'unmatched';
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
