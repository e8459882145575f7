import {
  InternalClient,
  InternalClientPage,
  InternalResourceList,
  InternalTenant,
  InternalTenantPage,
} from '@hellojohn/contracts';
import { z } from 'zod';

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
  /**
   * Every API resource of a tenant with the client grants on them; `undefined` when the control
   * plane answers 404 (no such tenant). Throws when it cannot be reached.
   */
  listResources(tenantId: string): Promise<InternalResourceList | undefined>;
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
    async listResources(tenantId) {
      const response = await get(`/internal/v1/tenants/${encodeURIComponent(tenantId)}/resources`);
      if (response.status === 404) return undefined;
      if (!response.ok) throw new Error(`control plane answered ${response.status}`);
      return InternalResourceList.parse(await response.json());
    },
  };
}

const OperatorRole = z.enum(['owner', 'admin', 'viewer']);

/** The control plane's answer about a live API key (`POST /internal/v1/api-keys/verify`). */
const VerifiedApiKey = z.object({
  id: z.string().min(1),
  role: OperatorRole,
  tenants: z.union([z.literal('*'), z.array(z.string())]),
  valid_until: z.string().nullable(),
});
export type VerifiedApiKey = z.infer<typeof VerifiedApiKey>;

const AdminRevocations = z.object({
  data: z.array(
    z.object({
      admin_id: z.string().min(1),
      session_id: z.string().nullable(),
      revoked_at: z.string(),
    }),
  ),
});
export type AdminRevocation = z.infer<typeof AdminRevocations>['data'][number];

/** The data plane's questions about operators (API keys, admin revocations). */
export interface ControlPlaneOperatorsClient {
  /** The key's grant; `undefined` when the control plane says it is not live. Throws if unreachable. */
  verifyApiKey(key: string, ip: string | null): Promise<VerifiedApiKey | undefined>;
  /** Admin token revocations since `since`. Throws when the control plane cannot be reached. */
  listAdminRevocations(since: Date): Promise<AdminRevocation[]>;
}

/** {@link ControlPlaneOperatorsClient} over the internal API (`HJ_INTERNAL_TOKEN`). */
export function createControlPlaneOperatorsClient(options: {
  cpUrl: string;
  internalToken: string;
  timeoutMs?: number;
}): ControlPlaneOperatorsClient {
  const headers = {
    authorization: `Bearer ${options.internalToken}`,
    accept: 'application/json',
  };
  const timeout = (): AbortSignal => AbortSignal.timeout(options.timeoutMs ?? 2_000);
  return {
    async verifyApiKey(key, ip) {
      // POST so the key never lands in a URL or an access log.
      const response = await fetch(`${options.cpUrl}/internal/v1/api-keys/verify`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(ip === null ? { key } : { key, ip: ip.slice(0, 64) }),
        signal: timeout(),
      });
      if (response.status === 404) return undefined;
      if (!response.ok) throw new Error(`control plane answered ${response.status}`);
      return VerifiedApiKey.parse(await response.json());
    },
    async listAdminRevocations(since) {
      const query = new URLSearchParams({ since: since.toISOString() });
      const response = await fetch(
        `${options.cpUrl}/internal/v1/admin-revocations?${query.toString()}`,
        { headers, signal: timeout() },
      );
      if (!response.ok) throw new Error(`control plane answered ${response.status}`);
      return AdminRevocations.parse(await response.json()).data;
    },
  };
}
