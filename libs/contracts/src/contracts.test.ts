import { InternalClient, InternalTenant, InternalTenantPage } from './index';

const tenant = {
  id: '7f1f6a43-5d0e-4a57-9a57-3a1e1d0b7c11',
  slug: 'acme',
  name: 'Acme',
  status: 'active',
  issuer: 'http://localhost:8080/t/acme',
  settings: {},
  database: { mode: 'managed' },
};

describe('internal API contracts', () => {
  it('accepts what the control plane sends', () => {
    expect(InternalTenantPage.parse({ data: [tenant], next_cursor: null }).data[0]).toEqual(tenant);
  });

  it('refuses an unknown status or an external database without a DSN', () => {
    expect(InternalTenant.safeParse({ ...tenant, status: 'paused' }).success).toBe(false);
    expect(
      InternalTenant.safeParse({ ...tenant, database: { mode: 'external', driver: 'pg' } }).success,
    ).toBe(false);
  });

  it('requires the secret hash field on clients (null for public ones)', () => {
    const client = {
      client_id: 'c1',
      tenant_id: tenant.id,
      name: 'Web',
      type: 'public',
      redirect_uris: [],
      grant_types: ['authorization_code'],
      scopes: ['openid'],
      created_at: '2026-12-01T00:00:00.000Z',
      updated_at: '2026-12-01T00:00:00.000Z',
    };
    expect(InternalClient.safeParse(client).success).toBe(false);
    expect(InternalClient.safeParse({ ...client, secret_hash: null }).success).toBe(true);
  });
});
