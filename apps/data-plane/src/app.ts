import { createServiceApp, type Metrics } from '@hellojohn/http';
import type { Express } from 'express';
import { corsMiddleware } from './cors/cors.middleware';
import type { Deps } from './deps';
import { routes } from './routes';

/** The data plane's Express app, with no I/O of its own. */
export function createApp(deps: Deps, metrics: Metrics): Express {
  const { api, oauth, hosted, ops, tenantScoped } = routes(deps);
  return createServiceApp({
    logger: deps.logger,
    metrics,
    trustProxy: deps.config.trustProxy,
    metricsToken: deps.config.metricsToken,
    readiness: {
      // Reported, not fatal: known tenants keep being served while the broker is away
      // (docs/architecture.md, "The two planes"); provisioning waits in the queue until it is back.
      broker: async () => ({ connected: deps.bus.isConnected() }),
      // Not fatal for serving known tenants, but visible: how stale tenant config may be.
      control_plane: async () => {
        const status = deps.directory.status();
        return {
          reachable: status.reachable,
          last_success_at: status.lastSuccessAt ?? null,
          last_error: status.lastError ?? null,
        };
      },
      tenant_pools: async () => ({ open: deps.pools.openCount() }),
      // Reported, not fatal: one tenant's database (or the managed server) being down must not
      // take the replica out of the load balancer for every other tenant (those answer 503
      // tenant_unavailable meanwhile).
      tenant_server: () => deps.modules.provisioning.serverStatus.check(),
      tenant_databases: async () => ({ unavailable: deps.health.down() }),
      // Reported, not fatal: every replica shares the one Redis, so taking this one out of the
      // load balancer helps nobody; the rate-limited routes answer 503 meanwhile (fail closed).
      ...(deps.limits.status().store === 'redis'
        ? { redis: async () => ({ connected: deps.limits.status().connected }) }
        : {}),
    },
    openapi: {
      title: 'HelloJohn data plane',
      version: '1',
      description:
        'End-user authentication. Name the tenant with the `X-Tenant-ID` header (slug or id) or call every route under `/t/{tenant}`.',
      serverUrl: deps.config.publicUrl,
    },
    apis: [],
    documented: [api, oauth, hosted, ops],
    // CORS first: it answers preflights, and marks responses before any route can fail; before
    // the health routes too, so the console's readiness page can read `/readyz`.
    first: [
      corsMiddleware({
        directory: deps.directory,
        origins: deps.origins,
        consoleOrigin: new URL(deps.config.cpUrl).origin,
      }),
    ],
    routers: [
      // Outside production only (mail/dev-mailbox.routes.ts); not in the API document.
      ...(deps.mail.devMailboxRouter ? [deps.mail.devMailboxRouter] : []),
      tenantScoped,
    ],
  });
}
