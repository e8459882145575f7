import { createServiceApp } from '@hellojohn/http';
import type { Metrics } from '@hellojohn/http';
import type { Express } from 'express';
import { serveConsole } from './console/serve-console';
import type { Deps } from './deps';
import { routes } from './routes';

/** The control plane's Express app, with no I/O of its own (supertest drives it directly). */
export function createApp(deps: Deps, metrics: Metrics): Express {
  const { api, wellKnown } = routes(deps.modules, {
    auditLog: deps.db.auditLog,
    logger: deps.logger,
    internalToken: deps.config.internalToken,
    limitSignIn: deps.limits.adminSignIn,
  });
  const { store } = deps.limits;
  return createServiceApp({
    logger: deps.logger,
    metrics,
    trustProxy: deps.config.trustProxy,
    metricsToken: deps.config.metricsToken,
    readiness: {
      database: () => deps.db.ping(),
      broker: async () => {
        if (!deps.bus.isConnected()) throw new Error('event bus disconnected');
      },
      // Reported, not fatal, as on the data plane: every replica shares the one Redis, so taking
      // this one out of the load balancer helps nobody; admin sign-in answers 503 meanwhile (fail
      // closed) and signed-in operators keep working.
      ...(store.kind === 'redis' ? { redis: async () => ({ connected: store.connected() }) } : {}),
    },
    openapi: {
      title: 'HelloJohn control plane',
      version: '1',
      description: 'Operators manage tenants, OAuth clients and signing keys.',
      serverUrl: deps.config.cpUrl,
    },
    apis: [api],
    routers: [wellKnown, serveConsole({ dataPlaneUrl: deps.config.publicUrl })],
  });
}
