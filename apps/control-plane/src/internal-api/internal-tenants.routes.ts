import { endpoint } from '@hellojohn/http';
import { z } from 'zod';
import type { TenantService } from '../services/tenant.service';
import { ListTenantsQuery, TenantParams } from '../schemas/tenant.schemas';

const InternalTenant = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  status: z.string(),
  issuer: z.string(),
  settings: z.record(z.string(), z.unknown()),
  database: z.union([
    z.object({ mode: z.literal('managed') }),
    z.object({ mode: z.literal('external'), driver: z.string(), url: z.string() }),
  ]),
});

/** Reads for the data plane only; never in the public OpenAPI document. */
export function internalTenantRoutes(tenants: TenantService) {
  return {
    list: endpoint(
      {
        summary: 'Tenant configurations for the data plane (migrations across tenants)',
        internal: true,
        auth: 'internal',
        query: ListTenantsQuery,
        response: z.object({ data: z.array(InternalTenant), next_cursor: z.string().nullable() }),
      },
      async function listInternalTenants({ query }, _req, res) {
        res.setHeader('Cache-Control', 'no-store');
        return tenants.listInternal(query);
      },
    ),
    get: endpoint(
      {
        summary: 'Tenant configuration for the data plane',
        internal: true,
        auth: 'internal',
        params: TenantParams,
        response: InternalTenant,
      },
      async function getInternalTenant({ params }, _req, res) {
        res.setHeader('Cache-Control', 'no-store');
        return tenants.getInternal(params.tenant);
      },
    ),
  };
}
