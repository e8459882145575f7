import type { ServerConnectionStats, TenantPools } from '@hellojohn/dal';
import { Registry } from 'prom-client';
import { registerTenantPoolMetrics } from './tenant-pool-metrics';

function poolsWith(stats: ServerConnectionStats[], open: number): TenantPools {
  return { connectionStats: () => stats, openCount: () => open } as unknown as TenantPools;
}

describe('registerTenantPoolMetrics', () => {
  it('shows the connection budget per server, and refusals as a running total', async () => {
    const stats: ServerConnectionStats = {
      server: 'db:5432',
      limit: 40,
      open: 12,
      inUse: 7,
      waiting: 3,
      refusals: 2,
    };
    const registry = new Registry();
    registerTenantPoolMetrics(poolsWith([stats], 9), registry);
    const text = await registry.metrics();
    expect(text).toContain('tenant_db_connections_limit{server="db:5432"} 40');
    expect(text).toContain('tenant_db_connections_open{server="db:5432"} 12');
    expect(text).toContain('tenant_db_connections_in_use{server="db:5432"} 7');
    expect(text).toContain('tenant_db_connections_waiting{server="db:5432"} 3');
    expect(text).toContain('tenant_db_connection_refusals_total{server="db:5432"} 2');
    expect(text).toContain('tenant_pools_open 9');
    stats.refusals = 5;
    expect(await registry.metrics()).toContain(
      'tenant_db_connection_refusals_total{server="db:5432"} 5',
    );
  });
});
