import type { ClientRow } from '@hellojohn/dal';
import { toClientView, type ClientService, type ListClientsInput } from '../clients';
import type { ListTenantsInput, StoredTenant, TenantService } from '../tenants';
import type {
  InternalClient,
  InternalClientPage,
  InternalTenant,
  InternalTenantPage,
} from '@hellojohn/contracts';

/** The reads the data plane makes, in the shapes of `@hellojohn/contracts`. */
export interface InternalApiService {
  getTenant(ref: string): Promise<InternalTenant>;
  listTenants(query: ListTenantsInput): Promise<InternalTenantPage>;
  getClient(tenant: string, clientId: string): Promise<InternalClient>;
  listClients(tenant: string, query: ListClientsInput): Promise<InternalClientPage>;
}

function toInternalTenant({ row, issuer, dsn }: StoredTenant): InternalTenant {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    status: row.status,
    issuer,
    settings: row.settings,
    database:
      dsn === null
        ? { mode: 'managed' }
        : { mode: 'external', driver: row.databaseDriver ?? 'pg', url: dsn },
  };
}

function toInternalClient(row: ClientRow): InternalClient {
  return { ...toClientView(row), tenant_id: row.tenantId, secret_hash: row.secretHash };
}

export function createInternalApiService(deps: {
  tenants: TenantService;
  clients: ClientService;
}): InternalApiService {
  const { tenants, clients } = deps;
  return {
    async getTenant(ref) {
      return toInternalTenant(await tenants.getStored(ref));
    },
    async listTenants(query) {
      const page = await tenants.listStored(query);
      return { data: page.rows.map(toInternalTenant), next_cursor: page.nextCursor };
    },
    async getClient(tenant, clientId) {
      return toInternalClient(await clients.getStored(tenant, clientId));
    },
    async listClients(tenant, query) {
      const page = await clients.listStored(tenant, query);
      return { data: page.rows.map(toInternalClient), next_cursor: page.nextCursor };
    },
  };
}
