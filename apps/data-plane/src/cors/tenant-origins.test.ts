import { InternalClient, type InternalClientPage } from '@hellojohn/contracts';
import { createTenantOrigins } from './tenant-origins';

const TENANT = '7b0c1c7e-4a53-4a5a-9a3f-2d1c5c2f0a11';
const OTHER = '0f6d5a8e-2b7c-4d3e-8f1a-6b5c4d3e2f10';

/** A public client listing `origins`; the contract fills in the other settings' defaults. */
function client(origins: string[], tenantId = TENANT): InternalClient {
  return InternalClient.parse({
    client_id: `hjc_${origins.join('_')}`,
    tenant_id: tenantId,
    name: 'c',
    type: 'public',
    redirect_uris: [],
    grant_types: ['authorization_code'],
    scopes: [],
    secret_hash: null,
    allowed_origins: origins,
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
  });
}

/** A control plane listing `clients` one per page (so paging is exercised), counting pages read. */
function fakeSource(clients: () => InternalClient[] | undefined) {
  const source = {
    pages: 0,
    down: false,
    async listClients(
      _tenantId: string,
      cursor: string | null,
    ): Promise<InternalClientPage | undefined> {
      source.pages++;
      if (source.down) throw new Error('connection refused');
      const all = clients();
      if (all === undefined) return undefined;
      const at = Number(cursor ?? 0);
      const next = at + 1 < all.length ? String(at + 1) : null;
      return { data: all.slice(at, at + 1), next_cursor: next };
    },
  };
  return source;
}

describe('tenant CORS origins', () => {
  it('allows the union of every page of clients, exactly as registered', async () => {
    const source = fakeSource(() => [
      client(['https://a.example.com']),
      client([]),
      client(['https://b.example.com', 'http://localhost:3000']),
    ]);
    const origins = createTenantOrigins({ client: source });
    for (const origin of [
      'https://a.example.com',
      'https://b.example.com',
      'http://localhost:3000',
    ]) {
      await expect(origins.allows(TENANT, origin)).resolves.toBe(true);
    }
    for (const origin of ['https://c.example.com', 'https://A.example.com', 'null', '*']) {
      await expect(origins.allows(TENANT, origin)).resolves.toBe(false);
    }
    expect(source.pages).toBe(3);
  });

  it("never allows another tenant's origins, whatever the control plane answers", async () => {
    const origins = createTenantOrigins({
      client: fakeSource(() => [client(['https://a.example.com'], OTHER)]),
    });
    await expect(origins.allows(TENANT, 'https://a.example.com')).resolves.toBe(false);
  });

  it('allows nothing for a tenant the control plane does not know', async () => {
    const origins = createTenantOrigins({ client: fakeSource(() => undefined) });
    await expect(origins.allows(TENANT, 'https://a.example.com')).resolves.toBe(false);
  });

  it('caches the set until it is invalidated, per tenant or all at once', async () => {
    let registered = [client(['https://a.example.com'])];
    const source = fakeSource(() => registered);
    const origins = createTenantOrigins({ client: source });
    await origins.allows(TENANT, 'https://a.example.com');
    registered = [client(['https://a.example.com']), client(['https://new.example.com'])];
    await expect(origins.allows(TENANT, 'https://new.example.com')).resolves.toBe(false);
    expect(source.pages).toBe(1);
    origins.invalidateTenant(TENANT);
    await expect(origins.allows(TENANT, 'https://new.example.com')).resolves.toBe(true);
    registered = [];
    origins.clear();
    await expect(origins.allows(TENANT, 'https://a.example.com')).resolves.toBe(false);
  });

  it('serves the stale set while the control plane is down, and fails without one', async () => {
    const source = fakeSource(() => [client(['https://a.example.com'])]);
    const origins = createTenantOrigins({ client: source, ttlMs: 0 });
    await origins.allows(TENANT, 'https://a.example.com');
    source.down = true;
    await expect(origins.allows(TENANT, 'https://a.example.com')).resolves.toBe(true);
    await expect(origins.allows(OTHER, 'https://a.example.com')).rejects.toMatchObject({
      code: 'service_unavailable',
    });
  });
});
