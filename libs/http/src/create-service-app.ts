import express, { type Express, type RequestHandler, type Router } from 'express';
import type { Logger } from 'pino';
import type { ApiRouter } from './api-router';
import { healthRoutes, type ReadinessCheck } from './health';
import type { Metrics } from './metrics';
import { BODY_LIMIT_SETTING } from './internal/read-body';
import { errorHandler, notFoundHandler } from './middleware/error-handler';
import { requireMetricsToken } from './middleware/metrics-token';
import { requestContext } from './middleware/request-context';
import { docsSecurityPolicy, securityHeaders } from './middleware/security-headers';
import { buildOpenApiDocument, openApiRoutes, type OpenApiInfo } from './openapi';

export interface ServiceAppOptions {
  logger: Logger;
  metrics: Metrics;
  readiness: Record<string, ReadinessCheck>;
  openapi: OpenApiInfo;
  /** Routers mounted at the root and documented in OpenAPI (internal routes are left out). */
  apis: ApiRouter[];
  /** Routers documented in OpenAPI but mounted by the service itself (e.g. under a prefix). */
  documented?: ApiRouter[];
  /** Routers mounted as they are, before the APIs (e.g. JWKS, well-known documents). */
  routers?: Router[];
  /** Middleware run before health, OpenAPI and every router (e.g. CORS, so `/readyz` has it). */
  first?: RequestHandler[];
  /** Largest JSON or form body (default `100kb`); more is 413. */
  bodyLimit?: string;
  /**
   * The proxies whose `X-Forwarded-For`/`-Proto` are believed (Express `trust proxy`, i.e.
   * `HJ_TRUST_PROXY`): `false` (none), a hop count, or addresses, CIDRs and the names
   * `loopback`, `linklocal`, `uniquelocal`. Default `['loopback']`.
   */
  trustProxy?: false | number | readonly string[];
  /** When set (`HJ_METRICS_TOKEN`), `/metrics` answers only `Authorization: Bearer <token>`. */
  metricsToken?: string;
}

/**
 * The conventions every HelloJohn service shares, in order: security headers, request id and
 * access log, metrics, health, OpenAPI, the routes (each reads and checks its own input), 404,
 * one error handler.
 * See docs/security.md for what each header is for.
 *
 * @example
 * const app = createServiceApp({ logger, metrics, readiness, openapi, apis: [api] });
 */
export function createServiceApp(options: ServiceAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  const trustProxy = options.trustProxy ?? ['loopback'];
  app.set('trust proxy', typeof trustProxy === 'object' ? [...trustProxy] : trustProxy);
  app.set('query parser', 'simple');
  // helmet's headers (its HSTS, sent over plain HTTP too, left out: `securityHeaders` sends HSTS
  // over HTTPS only) and ours, in one middleware.
  app.use(securityHeaders());
  app.use(requestContext(options.logger));
  app.use(options.metrics.middleware);
  for (const handler of options.first ?? []) app.use(handler);
  app.use(healthRoutes({ checks: options.readiness }));
  if (options.metricsToken !== undefined) {
    app.use('/metrics', requireMetricsToken(options.metricsToken));
  }
  app.use(options.metrics.routes);
  app.use('/docs', docsSecurityPolicy(options.openapi.serverUrl));
  app.use(
    openApiRoutes(() =>
      buildOpenApiDocument(
        options.openapi,
        [...options.apis, ...(options.documented ?? [])].flatMap((api) => api.routes),
      ),
    ),
  );
  // Bodies are read by the routes that declare one (`endpoint({ body })`), up to this limit.
  app.set(BODY_LIMIT_SETTING, options.bodyLimit ?? '100kb');
  for (const router of options.routers ?? []) app.use(router);
  for (const api of options.apis) app.use(api.router);
  app.use(notFoundHandler());
  app.use(errorHandler());
  return app;
}
