import type { TenantDb } from '@hellojohn/dal';
import request from 'supertest';
import { describeAccount } from './suites/account.cases';
import { describeAdminUsers } from './suites/admin-users.cases';
import { describeRefresh } from './suites/refresh.cases';
import { describeSignUpAndIn } from './suites/sign-up-in.cases';
import { tenantApi, type TenantApi } from './support/auth-client';
import type { DpSystem, TestTenant } from './support/dp-system';

/** What every case file reads; filled in by the suite's beforeAll. */
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
 * The data plane's end-user auth (issue 5) end to end over HTTP, on whatever tenant database
 * server `start` runs the data plane with.
 */
export function authSuite(name: string, start: () => Promise<DpSystem>): void {
  describe(name, () => {
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

    it('documents every auth route in /openapi.json', async () => {
      const res = await request(ctx.system.dp.url).get('/openapi.json').expect(200);
      const paths = Object.keys(res.body.paths as Record<string, unknown>);
      for (const path of [
        '/v1/auth/sign-up',
        '/v1/auth/sign-out',
        '/v1/auth/sign-out-all',
        '/v1/me/password',
        '/v1/sessions/{id}',
        '/v1/admin/users/{id}/sign-out',
      ]) {
        expect(paths).toContain(path);
      }
    });

    describeSignUpAndIn(ctx);
    describeRefresh(ctx);
    describeAccount(ctx);
    describeAdminUsers(ctx);
  });
}
