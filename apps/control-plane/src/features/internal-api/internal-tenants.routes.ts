import { endpoint } from '@hellojohn/http';
import { ListTenantsQuery, TenantParams } from '../tenants';
import { InternalTenant, InternalTenantPage } from '@hellojohn/contracts';
import type { InternalApiService } from './internal-api.service';

/** Reads for the data plane only; never in the public OpenAPI document. */
export function internalTenantRoutes(internalApi: InternalApiService) {
  return {
    listTenants: endpoint(
      {
        summary: 'Tenant configurations for the data plane (migrations across tenants)',
        internal: true,
        query: ListTenantsQuery,
        response: InternalTenantPage,
      },
      async function listInternalTenants({ query }, _req, res) {
        res.setHeader('Cache-Control', 'no-store');
        return internalApi.listTenants(query);
      },
    ),
    getTenant: endpoint(
      {
        summary: 'Tenant configuration for the data plane',
        internal: true,
        params: TenantParams,
        response: InternalTenant,
      },
      async function getInternalTenant({ params }, _req, res) {
        res.setHeader('Cache-Control', 'no-store');
        return internalApi.getTenant(params.tenant);
      },
    ),
  };
}
