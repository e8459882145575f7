import {
  defaultTokenEndpointAuthMethod,
  InternalClient,
  InternalTenant,
  InternalTenantPage,
} from './index';

const tenant = {
  id: '7f1f6a43-5d0e-4a57-9a57-3a1e1d0b7c11',
  slug: 'acme',
  name: 'Acme',
  status: 'active',
  issuer: 'http://localhost:8080/t/acme',
  settings: {},
  database: { mode: 'managed' },
};

/** The settings of a client registered with none of them. */
const settings = {
  allowed_origins: [],
  post_logout_redirect_uris: [],
  first_party: false,
  access_token_ttl: null,
  refresh_token_ttl: null,
  id_token_signed_response_alg: 'RS256',
  token_endpoint_auth_method: 'none',
  logo_uri: null,
  client_uri: null,
  policy_uri: null,
  tos_uri: null,
  custom_claims: null,
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
      ...settings,
      created_at: '2026-12-01T00:00:00.000Z',
      updated_at: '2026-12-01T00:00:00.000Z',
    };
    expect(InternalClient.safeParse(client).success).toBe(false);
    expect(InternalClient.safeParse({ ...client, secret_hash: null }).success).toBe(true);
  });

  it('carries the browser sign-in settings, each falling back to its default when absent', () => {
    const client = {
      client_id: 'c1',
      tenant_id: tenant.id,
      name: 'SPA',
      type: 'public',
      redirect_uris: ['https://spa.example/cb'],
      grant_types: ['authorization_code'],
      scopes: ['openid'],
      secret_hash: null,
      ...settings,
      allowed_origins: ['https://spa.example'],
      access_token_ttl: 300,
      id_token_signed_response_alg: 'EdDSA',
      created_at: '2026-12-01T00:00:00.000Z',
      updated_at: '2026-12-01T00:00:00.000Z',
    };
    expect(InternalClient.parse(client)).toEqual(client);
    // `settings` holds each field's default (a public client authenticates with `none`).
    for (const [field, fallback] of Object.entries(settings)) {
      const without = Object.fromEntries(Object.entries(client).filter(([key]) => key !== field));
      const parsed = InternalClient.parse(without) as Record<string, unknown>;
      expect({ field, value: parsed[field] }).toEqual({ field, value: fallback });
    }
    expect(
      InternalClient.safeParse({ ...client, token_endpoint_auth_method: 'private_key_jwt' })
        .success,
    ).toBe(false);
    expect(
      InternalClient.safeParse({ ...client, id_token_signed_response_alg: 'HS256' }).success,
    ).toBe(false);
  });

  it('defaults the token endpoint method by client type', () => {
    expect(defaultTokenEndpointAuthMethod('public')).toBe('none');
    expect(defaultTokenEndpointAuthMethod('confidential')).toBe('client_secret_basic');
  });

  it('parses a client answered by an older control plane, with the defaults of newer fields', () => {
    const older = {
      client_id: 'c2',
      tenant_id: tenant.id,
      name: 'Worker',
      type: 'confidential',
      redirect_uris: [],
      grant_types: ['client_credentials'],
      scopes: [],
      secret_hash: 'ab'.repeat(32),
      created_at: '2026-12-01T00:00:00.000Z',
      updated_at: '2026-12-01T00:00:00.000Z',
    };
    expect(InternalClient.parse(older)).toMatchObject({
      allowed_origins: [],
      first_party: false,
      id_token_signed_response_alg: 'RS256',
      token_endpoint_auth_method: 'client_secret_basic',
      access_token_ttl: null,
    });
  });
});
