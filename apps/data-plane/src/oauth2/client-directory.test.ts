import { InternalClient } from '@hellojohn/contracts';
import { createClientDirectory } from './client-directory';

const TENANT = '7b0c1c7e-4a53-4a5a-9a3f-2d1c5c2f0a11';
const OTHER = '0f6d5a8e-2b7c-4d3e-8f1a-6b5c4d3e2f10';

/** A confidential client; the contract fills in the browser sign-in settings' defaults. */
function client(clientId: string, tenantId = TENANT): InternalClient {
  return InternalClient.parse({
    client_id: clientId,
    tenant_id: tenantId,
    name: 'c',
    type: 'confidential',
    redirect_uris: [],
    grant_types: ['client_credentials'],
    scopes: [],
    secret_hash: 'a'.repeat(64),
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
  });
}

/** A control plane whose answers the test sets, counting reads. */
function fakeSource(answer: (tenantId: string, clientId: string) => InternalClient | undefined) {
  const source = {
    reads: 0,
    down: false,
    async getClient(tenantId: string, clientId: string) {
      source.reads++;
      if (source.down) throw new Error('connection refused');
      return answer(tenantId, clientId);
    },
  };
  return source;
}

describe('client directory', () => {
  it('never hands out a client of another tenant, whatever the control plane answers', async () => {
    const source = fakeSource((_tenant, id) => client(id, OTHER));
    const clients = createClientDirectory({ client: source });
    await expect(clients.resolve(TENANT, 'hjc_a')).resolves.toBeUndefined();
  });

  it('caches answers, unknown ids briefly, and skips ids no client can have', async () => {
    const source = fakeSource((_tenant, id) => (id === 'hjc_a' ? client(id) : undefined));
    const clients = createClientDirectory({ client: source, negativeTtlMs: 60_000 });
    await clients.resolve(TENANT, 'hjc_a');
    await clients.resolve(TENANT, 'hjc_a');
    await clients.resolve(TENANT, 'hjc_none');
    await clients.resolve(TENANT, 'hjc_none');
    expect(source.reads).toBe(2);
    await expect(clients.resolve(TENANT, 'x'.repeat(129))).resolves.toBeUndefined();
    await expect(clients.resolve(TENANT, 'tab\tid')).resolves.toBeUndefined();
    expect(source.reads).toBe(2);
  });

  it('reads again after an invalidation, per client or per tenant', async () => {
    const source = fakeSource((_tenant, id) => client(id));
    const clients = createClientDirectory({ client: source });
    await clients.resolve(TENANT, 'hjc_a');
    clients.invalidate(TENANT, 'hjc_a');
    await clients.resolve(TENANT, 'hjc_a');
    clients.invalidateTenant(TENANT);
    await clients.resolve(TENANT, 'hjc_a');
    clients.clear();
    await clients.resolve(TENANT, 'hjc_a');
    expect(source.reads).toBe(4);
  });

  it('serves a known client while the control plane is down, within the staleness bound', async () => {
    const source = fakeSource((_tenant, id) => client(id));
    const clients = createClientDirectory({ client: source, ttlMs: 0, maxStaleMs: 60_000 });
    await clients.resolve(TENANT, 'hjc_a');
    source.down = true;
    await expect(clients.resolve(TENANT, 'hjc_a')).resolves.toMatchObject({ client_id: 'hjc_a' });
    await expect(clients.resolve(TENANT, 'hjc_b')).rejects.toMatchObject({
      code: 'service_unavailable',
    });
    const strict = createClientDirectory({ client: source, ttlMs: 0, maxStaleMs: 0 });
    await expect(strict.resolve(TENANT, 'hjc_a')).rejects.toMatchObject({
      code: 'service_unavailable',
    });
  });

  it('keeps at most maxEntries', async () => {
    const source = fakeSource(() => undefined);
    const clients = createClientDirectory({ client: source, maxEntries: 2, negativeTtlMs: 60_000 });
    for (const id of ['a', 'b', 'c', 'a']) await clients.resolve(TENANT, id);
    // `a` was the oldest when `c` arrived, so it was read again.
    expect(source.reads).toBe(4);
  });
});
