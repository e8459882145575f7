import express, { type Express, type Router } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { ApiRouter } from './api-router';
import { healthRoutes, type ReadinessCheck } from './health';
import type { Metrics } from './metrics';
import { BODY_LIMIT_SETTING } from './internal/form-body';
import { jsonBody } from './middleware/json-body';
import { errorHandler, notFoundHandler } from './middleware/error-handler';
import { requestContext } from './middleware/request-context';
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
  /** Largest JSON or form body (default `100kb`); more is 413. */
  bodyLimit?: string;
}

/**
 * The conventions every HelloJohn service shares, in order: security headers, request id and
 * access log, metrics, health, OpenAPI, strict body parsing, the routes, 404, one error handler.
 *
 * @example
 * const app = createServiceApp({ logger, metrics, readiness, openapi, apis: [api] });
 */
export function createServiceApp(options: ServiceAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  app.set('query parser', 'simple');
  app.use(helmet({ contentSecurityPolicy: false }));
  app.use(requestContext(options.logger));
  app.use(options.metrics.middleware);
  app.use(healthRoutes({ checks: options.readiness }));
  app.use(options.metrics.routes);
  app.use(
    openApiRoutes(() =>
      buildOpenApiDocument(
        options.openapi,
        [...options.apis, ...(options.documented ?? [])].flatMap((api) => api.routes),
      ),
    ),
  );
  app.set(BODY_LIMIT_SETTING, options.bodyLimit ?? '100kb');
  app.use(...jsonBody({ limit: options.bodyLimit }));
  for (const router of options.routers ?? []) app.use(router);
  for (const api of options.apis) app.use(api.router);
  app.use(notFoundHandler());
  app.use(errorHandler());
  return app;
}
