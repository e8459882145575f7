import type {
  Admin,
  AdminSignInInput,
  AdminsQuery,
  AdminToken,
  AuditEntry,
  AuditLogQuery,
  ClientSecret,
  ClientsQuery,
  CreateAdminInput,
  CreateClientInput,
  CreatedOAuthClient,
  CreateTenantInput,
  KeyRotationAccepted,
  ListTenantsQuery,
  OAuthClient,
  Tenant,
  UpdateClientInput,
  UpdateTenantInput,
} from './control-plane-types';
import { createHttpClient, seg } from './http-client';
import type { Query } from './http-client';
import type { Page } from './page';

export interface ControlPlaneClientOptions {
  /** e.g. `http://localhost:8081`. */
  baseUrl: string;
  /** A CP admin token (from `auth.signIn`). */
  token?: string;
  /** Called before each call instead of `token`, e.g. to refresh it. */
  getToken?: () => string | undefined | Promise<string | undefined>;
  fetch?: typeof fetch;
}

const q = (query: object | undefined): Query => ({ ...(query as Query | undefined) });

/**
 * A typed client for the control plane's REST API (docs/api.md). Failed calls throw
 * `HelloJohnApiError`.
 *
 * @example
 * ```ts
 * const anon = createControlPlaneClient({ baseUrl: 'http://localhost:8081' });
 * const { access_token } = await anon.auth.signIn({ email, password });
 * const cp = createControlPlaneClient({ baseUrl: 'http://localhost:8081', token: access_token });
 * const tenant = await cp.tenants.create({ slug: 'acme', name: 'Acme' });
 * ```
 */
export function createControlPlaneClient(options: ControlPlaneClientOptions) {
  const { token } = options;
  const send = createHttpClient({
    baseUrl: options.baseUrl,
    getToken: options.getToken ?? (() => token),
    ...(options.fetch && { fetch: options.fetch }),
  });
  const tenantPath = (tenant: string): string => `/v1/tenants/${seg(tenant)}`;
  const clientPath = (tenant: string, clientId: string): string =>
    `${tenantPath(tenant)}/clients/${seg(clientId)}`;

  return {
    auth: {
      signIn: (body: AdminSignInInput) =>
        send<AdminToken>({ method: 'POST', path: '/v1/auth/sign-in', body }),
    },
    admins: {
      list: (query?: AdminsQuery) =>
        send<Page<Admin>>({ method: 'GET', path: '/v1/admins', query: q(query) }),
      create: (body: CreateAdminInput) => send<Admin>({ method: 'POST', path: '/v1/admins', body }),
      delete: (id: string) => send<undefined>({ method: 'DELETE', path: `/v1/admins/${seg(id)}` }),
    },
    tenants: {
      /** Answers at once with `status: 'provisioning'`; poll `get` until `active`. */
      create: (body: CreateTenantInput) =>
        send<Tenant>({ method: 'POST', path: '/v1/tenants', body }),
      list: (query?: ListTenantsQuery) =>
        send<Page<Tenant>>({ method: 'GET', path: '/v1/tenants', query: q(query) }),
      /** `tenant` is an id or a slug. */
      get: (tenant: string) => send<Tenant>({ method: 'GET', path: tenantPath(tenant) }),
      update: (tenant: string, body: UpdateTenantInput) =>
        send<Tenant>({ method: 'PATCH', path: tenantPath(tenant), body }),
      /** Answers with `status: 'deleting'`; the tenant is gone once deprovisioned. */
      delete: (tenant: string) => send<Tenant>({ method: 'DELETE', path: tenantPath(tenant) }),
      rotateKeys: (tenant: string) =>
        send<KeyRotationAccepted>({ method: 'POST', path: `${tenantPath(tenant)}/keys/rotate` }),
    },
    clients: {
      create: (tenant: string, body: CreateClientInput) =>
        send<CreatedOAuthClient>({ method: 'POST', path: `${tenantPath(tenant)}/clients`, body }),
      list: (tenant: string, query?: ClientsQuery) =>
        send<Page<OAuthClient>>({
          method: 'GET',
          path: `${tenantPath(tenant)}/clients`,
          query: q(query),
        }),
      get: (tenant: string, clientId: string) =>
        send<OAuthClient>({ method: 'GET', path: clientPath(tenant, clientId) }),
      update: (tenant: string, clientId: string, body: UpdateClientInput) =>
        send<OAuthClient>({ method: 'PATCH', path: clientPath(tenant, clientId), body }),
      delete: (tenant: string, clientId: string) =>
        send<undefined>({ method: 'DELETE', path: clientPath(tenant, clientId) }),
      rotateSecret: (tenant: string, clientId: string) =>
        send<ClientSecret>({ method: 'POST', path: `${clientPath(tenant, clientId)}/secret` }),
    },
    auditLog: {
      list: (query?: AuditLogQuery) =>
        send<Page<AuditEntry>>({ method: 'GET', path: '/v1/audit-log', query: q(query) }),
    },
  };
}

export type ControlPlaneClient = ReturnType<typeof createControlPlaneClient>;
