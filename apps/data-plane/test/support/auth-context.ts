import type { TenantDb } from '@hellojohn/dal';
import { tenantApi, type TenantApi } from './auth-client';
import type { DpSystem, TestTenant } from './dp-system';

/** What every part of the auth suite (`test/auth/*.suite.ts`) reads; filled in by beforeAll. */
export interface AuthContext {
  system: DpSystem;
  /** Default settings; reached under `/t/{slug}`. */
  main: TestTenant;
  api: TenantApi;
  /** The same tenant through `X-Tenant-ID`. */
  viaHeader: TenantApi;
  /** A second tenant, for cross-tenant checks. */
  other: TestTenant;
  otherApi: TenantApi;
  /** A tenant's database, to read the audit log and session rows. */
  db(tenant: TestTenant): TenantDb;
}

/**
 * Call inside a `describe`: starts the data plane with `start` and creates the two tenants in
 * `beforeAll`, closes it in `afterAll`. The returned object is empty until `beforeAll` has run,
 * so the parts read it only inside their tests and hooks.
 */
export function useAuthContext(start: () => Promise<DpSystem>): AuthContext {
  const ctx = {} as AuthContext;
  beforeAll(async () => {
    ctx.system = await start();
    ctx.main = await ctx.system.createTenant('main');
    ctx.other = await ctx.system.createTenant('other');
    ctx.api = tenantApi(ctx.system.dp.url, ctx.main);
    ctx.viaHeader = tenantApi(ctx.system.dp.url, ctx.main, true);
    ctx.otherApi = tenantApi(ctx.system.dp.url, ctx.other);
    ctx.db = (tenant) =>
      ctx.system.dp.deps.pools.get({ tenantId: tenant.id, database: { mode: 'managed' } });
  });
  afterAll(async () => {
    await ctx.system.close();
  });
  return ctx;
}
