import { createServiceApp } from '@hellojohn/http';
import type { Metrics } from '@hellojohn/http';
import type { Express } from 'express';
import type { Deps } from './deps';
import { routes } from './routes';

/** The control plane's Express app, with no I/O of its own (supertest drives it directly). */
export function createApp(deps: Deps, metrics: Metrics): Express {
  const { api, wellKnown } = routes(deps.modules, {
    auditLog: deps.db.auditLog,
    logger: deps.logger,
    internalToken: deps.config.internalToken,
  });
  return createServiceApp({
    logger: deps.logger,
    metrics,
    readiness: {
      database: () => deps.db.ping(),
      broker: async () => {
        if (!deps.bus.isConnected()) throw new Error('event bus disconnected');
      },
    },
    openapi: {
      title: 'HelloJohn control plane',
      version: '1',
      description: 'Operators manage tenants, OAuth clients and signing keys.',
      serverUrl: deps.config.cpUrl,
    },
    apis: [api],
    routers: [wellKnown],
  });
}
