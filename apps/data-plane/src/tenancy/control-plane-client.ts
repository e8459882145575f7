import {
  InternalClient,
  InternalClientPage,
  InternalTenant,
  InternalTenantPage,
} from '@hellojohn/contracts';

export interface ControlPlaneClient {
  /** `undefined` when the control plane answers 404. Throws when it cannot be reached. */
  getTenant(ref: string): Promise<InternalTenant | undefined>;
  listTenants(cursor: string | null, limit?: number): Promise<InternalTenantPage>;
  /**
   * One OAuth client of a tenant (`tenantId`: the tenant's id); `undefined` when the control plane
   * answers 404 (no such tenant or client). Throws when it cannot be reached.
   */
  getClient(tenantId: string, clientId: string): Promise<InternalClient | undefined>;
  /**
   * One page of a tenant's OAuth clients (`cursor`: the previous page's `next_cursor`, null for
   * the first); `undefined` when the control plane answers 404 (no such tenant). Throws when it
   * cannot be reached.
   */
  listClients(
    tenantId: string,
    cursor: string | null,
    limit?: number,
  ): Promise<InternalClientPage | undefined>;
}

/** The data plane's reads of the control plane's internal API (`HJ_INTERNAL_TOKEN`). */
export function createControlPlaneClient(options: {
  cpUrl: string;
  internalToken: string;
  timeoutMs?: number;
}): ControlPlaneClient {
  async function get(path: string): Promise<Response> {
    return fetch(`${options.cpUrl}${path}`, {
      headers: { authorization: `Bearer ${options.internalToken}`, accept: 'application/json' },
      signal: AbortSignal.timeout(options.timeoutMs ?? 2_000),
    });
  }
  return {
    async getTenant(ref) {
      const response = await get(`/internal/v1/tenants/${encodeURIComponent(ref)}`);
      if (response.status === 404) return undefined;
      if (!response.ok) throw new Error(`control plane answered ${response.status}`);
      return InternalTenant.parse(await response.json());
    },
    async listTenants(cursor, limit = 100) {
      const query = new URLSearchParams({ limit: String(limit) });
      if (cursor) query.set('cursor', cursor);
      const response = await get(`/internal/v1/tenants?${query.toString()}`);
      if (!response.ok) throw new Error(`control plane answered ${response.status}`);
      return InternalTenantPage.parse(await response.json());
    },
    async getClient(tenantId, clientId) {
      const response = await get(
        `/internal/v1/tenants/${encodeURIComponent(tenantId)}/clients/${encodeURIComponent(clientId)}`,
      );
      if (response.status === 404) return undefined;
      if (!response.ok) throw new Error(`control plane answered ${response.status}`);
      return InternalClient.parse(await response.json());
    },
    async listClients(tenantId, cursor, limit = 100) {
      const query = new URLSearchParams({ limit: String(limit) });
      if (cursor) query.set('cursor', cursor);
      const response = await get(
        `/internal/v1/tenants/${encodeURIComponent(tenantId)}/clients?${query.toString()}`,
      );
      if (response.status === 404) return undefined;
      if (!response.ok) throw new Error(`control plane answered ${response.status}`);
      return InternalClientPage.parse(await response.json());
    },
  };
}
