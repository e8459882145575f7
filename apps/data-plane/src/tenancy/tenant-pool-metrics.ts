import type { TenantPools } from '@hellojohn/dal';
import { Counter, Gauge, type Registry } from 'prom-client';

/**
 * The connection budget on `/metrics`, read from the pools at each scrape, labelled by tenant
 * database server (`host:port`; never by tenant: cardinality):
 * `tenant_db_connections_limit`, `tenant_db_connections_open`, `tenant_db_connections_in_use`,
 * `tenant_db_connections_waiting`, `tenant_db_connection_refusals_total` (requests that waited
 * past the acquire timeout and answered 503), and `tenant_pools_open`.
 */
export function registerTenantPoolMetrics(pools: TenantPools, registry: Registry): void {
  const gauge = (name: string, help: string, pick: (s: StatsRow) => number): void => {
    new Gauge({
      name,
      help,
      labelNames: ['server'],
      registers: [registry],
      collect() {
        this.reset();
        for (const stats of pools.connectionStats())
          this.set({ server: stats.server }, pick(stats));
      },
    });
  };
  gauge(
    'tenant_db_connections_limit',
    'Most connections this process may hold to the tenant database server (HJ_TENANT_DB_MAX_CONNECTIONS)',
    (s) => s.limit,
  );
  gauge(
    'tenant_db_connections_open',
    'Connections open to the tenant database server, over all tenant pools',
    (s) => s.open,
  );
  gauge('tenant_db_connections_in_use', 'Connections running a query now', (s) => s.inUse);
  gauge(
    'tenant_db_connections_waiting',
    'Requests queued for a connection because the server budget is spent',
    (s) => s.waiting,
  );
  const counted = new Map<string, number>();
  new Counter({
    name: 'tenant_db_connection_refusals_total',
    help: 'Requests refused (503 tenant_unavailable) after waiting for the connection budget',
    labelNames: ['server'],
    registers: [registry],
    collect() {
      // The pools keep the running total; the counter catches up with it at each scrape.
      for (const stats of pools.connectionStats()) {
        const delta = stats.refusals - (counted.get(stats.server) ?? 0);
        this.inc({ server: stats.server }, delta);
        counted.set(stats.server, stats.refusals);
      }
    },
  });
  new Gauge({
    name: 'tenant_pools_open',
    help: 'Tenant connection pools open (HJ_TENANT_POOL_MAX at most)',
    registers: [registry],
    collect() {
      this.set(pools.openCount());
    },
  });
}

type StatsRow = ReturnType<TenantPools['connectionStats']>[number];
