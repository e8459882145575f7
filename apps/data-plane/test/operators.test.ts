import { randomUUID } from 'node:crypto';
import { eventually } from '@hellojohn/testing';
import request from 'supertest';
import { startDpSystem, type DpSystem, type TestTenant } from './support/dp-system';

type Role = 'owner' | 'admin' | 'viewer';

/** Every tenant-admin route (ids are random and bodies empty: the guard is what counts). */
const ADMIN_ROUTES: Array<{
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  path: string;
  body?: true;
}> = [
  { method: 'get', path: '/v1/admin/users' },
  { method: 'post', path: '/v1/admin/users', body: true },
  { method: 'get', path: `/v1/admin/users/${randomUUID()}` },
  { method: 'patch', path: `/v1/admin/users/${randomUUID()}`, body: true },
  { method: 'delete', path: `/v1/admin/users/${randomUUID()}` },
  { method: 'post', path: `/v1/admin/users/${randomUUID()}/sign-out` },
  { method: 'get', path: `/v1/admin/users/${randomUUID()}/consents` },
  { method: 'get', path: `/v1/admin/users/${randomUUID()}/mfa` },
  { method: 'delete', path: `/v1/admin/users/${randomUUID()}/mfa` },
  { method: 'get', path: '/v1/admin/roles' },
  { method: 'post', path: '/v1/admin/roles', body: true },
  { method: 'get', path: '/v1/admin/roles/no-such-role' },
  { method: 'patch', path: '/v1/admin/roles/no-such-role', body: true },
  { method: 'delete', path: '/v1/admin/roles/no-such-role' },
  { method: 'put', path: `/v1/admin/users/${randomUUID()}/roles/no-such-role` },
  { method: 'delete', path: `/v1/admin/users/${randomUUID()}/roles/no-such-role` },
];

const writes = (method: string): boolean => method !== 'get';

/**
 * Operator credentials on the data plane's admin routes (issue 19): API keys checked through the
 * control plane, admin tokens' grants, revocations applied within seconds, and failing closed.
 */
describe('operator access on the data plane (SQLite)', () => {
  let system: DpSystem;
  let tenantA: TestTenant;
  let tenantB: TestTenant;

  const call = (
    tenant: TestTenant,
    token: string,
    method = 'get' as const,
    path = '/v1/admin/users',
  ) =>
    request(system.dp.url)
      [method](`/t/${tenant.slug}${path}`)
      .set('Authorization', `Bearer ${token}`);

  beforeAll(async () => {
    system = await startDpSystem();
    tenantA = await system.createTenant('ops-a');
    tenantB = await system.createTenant('ops-b');
  });
  afterAll(async () => {
    await system.close();
  });

  it.each<[Role, string]>([
    ['viewer', 'API key'],
    ['admin', 'API key'],
    ['owner', 'API key'],
    ['viewer', 'admin token'],
    ['admin', 'admin token'],
    ['owner', 'admin token'],
  ])(
    'a %s %s on one tenant: every admin route as its role allows, other tenants 404',
    async (role, kind) => {
      const token =
        kind === 'API key'
          ? system.operators.addApiKey(role, [tenantA.id]).key
          : await system.cpAdminToken(role, {}, { tenants: [tenantA.id] });
      for (const route of ADMIN_ROUTES) {
        const send = (tenant: TestTenant) => {
          const pending = call(tenant, token, route.method as 'get', route.path);
          return route.body ? pending.send({}) : pending;
        };
        const own = await send(tenantA);
        const allowed = role !== 'viewer' || !writes(route.method);
        if (allowed) {
          expect(['insufficient_role', 'tenant_not_found', 'invalid_token']).not.toContain(
            own.body.code,
          );
          expect([401, 403, 503]).not.toContain(own.status);
        } else {
          expect([own.status, own.body.code]).toEqual([403, 'insufficient_role']);
        }
        const other = await send(tenantB);
        expect([route.path, other.status, other.body.code]).toEqual([
          route.path,
          404,
          'tenant_not_found',
        ]);
      }
    },
  );

  it('a key on every tenant reaches both; a forged or unknown key is refused', async () => {
    const { key } = system.operators.addApiKey('viewer');
    await call(tenantA, key).expect(200);
    await call(tenantB, key).expect(200);
    const unknown = await call(tenantA, `hjk_${'x'.repeat(43)}`).expect(401);
    expect(unknown.body.code).toBe('invalid_token');
  });

  it('a revoked API key is refused within seconds', async () => {
    const { key, id } = system.operators.addApiKey('admin');
    await call(tenantA, key).expect(200);
    await system.operators.revokeApiKey(id);
    await eventually(async () => {
      const res = await call(tenantA, key).expect(401);
      expect(res.body.code).toBe('invalid_token');
    }, 5_000);
  });

  it('a revoked admin, or an ended session, is refused within seconds; others are not', async () => {
    const adminId = randomUUID();
    const token = await system.cpAdminToken('admin', {}, { adminId });
    const bystander = await system.cpAdminToken('admin');
    const sessionId = randomUUID();
    const sessionToken = await system.cpAdminToken('viewer', {}, { sessionId });
    await call(tenantA, token).expect(200);
    await call(tenantA, sessionToken).expect(200);

    await system.operators.revokeAdmin(adminId);
    await system.operators.revokeAdmin(randomUUID(), sessionId);
    await eventually(async () => {
      expect((await call(tenantA, token).expect(401)).body.code).toBe('invalid_token');
      expect((await call(tenantA, sessionToken).expect(401)).body.code).toBe('invalid_token');
    }, 5_000);
    await call(tenantA, bystander).expect(200);
  });

  it('fails closed while the control plane is unreachable, for keys it has not seen recently', async () => {
    const seen = system.operators.addApiKey('viewer');
    const unseen = system.operators.addApiKey('viewer');
    await call(tenantA, seen.key).expect(200);
    system.operators.setDown(true);
    try {
      // Within the cache's freshness the key is not even asked about again.
      await call(tenantA, seen.key).expect(200);
      const refused = await call(tenantA, unseen.key).expect(503);
      expect(refused.body.code).toBe('service_unavailable');
    } finally {
      system.operators.setDown(false);
    }
    await call(tenantA, unseen.key).expect(200);
  });
});
