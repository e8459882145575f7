import type { ClientRow } from '@hellojohn/dal';
import type { ClientService, ListClientsInput } from '../clients';
import type { ListTenantsInput, StoredTenant, TenantService } from '../tenants';
import {
  isGrantType,
  type InternalClient,
  type InternalClientPage,
  type InternalTenant,
  type InternalTenantPage,
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
  return {
    client_id: row.clientId,
    name: row.name,
    type: row.type,
    redirect_uris: row.redirectUris,
    grant_types: row.grantTypes.filter(isGrantType),
    scopes: row.scopes,
    allowed_origins: row.allowedOrigins,
    post_logout_redirect_uris: row.postLogoutRedirectUris,
    first_party: row.firstParty,
    access_token_ttl: row.accessTokenTtl,
    refresh_token_ttl: row.refreshTokenTtl,
    id_token_signed_response_alg: row.idTokenSignedResponseAlg,
    token_endpoint_auth_method: row.tokenEndpointAuthMethod,
    logo_uri: row.logoUri,
    client_uri: row.clientUri,
    policy_uri: row.policyUri,
    tos_uri: row.tosUri,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    tenant_id: row.tenantId,
    secret_hash: row.secretHash,
  };
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
