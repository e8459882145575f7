import { endpoint } from '@hellojohn/http';
import type { TenantService } from '../services/tenant.service';
import {
  CreateTenantBody,
  ListTenantsQuery,
  Tenant,
  TenantList,
  TenantParams,
} from '../schemas/tenant.schemas';

export function tenantRoutes(tenants: TenantService) {
  return {
    create: endpoint(
      {
        summary: 'Create a tenant (provisioned asynchronously by the data plane)',
        tags: ['tenants'],
        body: CreateTenantBody,
        response: Tenant,
        status: 202,
        errors: ['tenant_slug_taken', 'unauthenticated', 'insufficient_role'],
      },
      async function createTenant({ body }, _req, res) {
        const tenant = await tenants.create(body);
        res.setHeader('Location', `/v1/tenants/${tenant.id}`);
        return tenant;
      },
    ),
    list: endpoint(
      {
        summary: 'List tenants',
        tags: ['tenants'],
        query: ListTenantsQuery,
        response: TenantList,
        errors: ['invalid_cursor', 'unauthenticated'],
      },
      async function listTenants({ query }) {
        return tenants.list(query);
      },
    ),
    get: endpoint(
      {
        summary: 'Get a tenant by id or slug',
        tags: ['tenants'],
        params: TenantParams,
        response: Tenant,
        errors: ['tenant_not_found', 'unauthenticated'],
      },
      async function getTenant({ params }) {
        return tenants.get(params.tenant);
      },
    ),
  };
}
