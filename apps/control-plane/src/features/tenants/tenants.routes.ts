import { endpoint } from '@hellojohn/http';
import { actorOf } from '../../guards/require-admin';
import {
  CreateTenantBody,
  ListTenantsQuery,
  RotationAccepted,
  Tenant,
  TenantList,
  TenantParams,
  UpdateTenantBody,
} from './tenants.schemas';
import type { TenantService } from './tenants.service';

export function tenantRoutes(tenants: TenantService) {
  return {
    create: endpoint(
      {
        summary: 'Create a tenant (provisioned asynchronously by the data plane)',
        tags: ['tenants'],
        body: CreateTenantBody,
        response: Tenant,
        status: 202,
        errors: ['tenant_slug_taken'],
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
        errors: ['invalid_cursor'],
      },
      async function listTenants({ query }, _req, res) {
        // A scoped operator sees only the tenants of its grant.
        return tenants.list(query, actorOf(res).tenants);
      },
    ),
    get: endpoint(
      {
        summary: 'Get a tenant by id or slug',
        tags: ['tenants'],
        params: TenantParams,
        response: Tenant,
        errors: ['tenant_not_found'],
      },
      async function getTenant({ params }) {
        return tenants.get(params.tenant);
      },
    ),
    update: endpoint(
      {
        summary: 'Update a tenant (name, settings); publishes tenant.updated',
        tags: ['tenants'],
        params: TenantParams,
        body: UpdateTenantBody,
        response: Tenant,
        errors: ['tenant_not_found', 'tenant_not_ready'],
      },
      async function updateTenant({ params, body }) {
        return tenants.update(params.tenant, body);
      },
    ),
    remove: endpoint(
      {
        summary: 'Delete a tenant: status deleting until the data plane has deprovisioned it',
        tags: ['tenants'],
        params: TenantParams,
        response: Tenant,
        status: 202,
        errors: ['tenant_not_found'],
      },
      async function deleteTenant({ params }) {
        return tenants.remove(params.tenant);
      },
    ),
    rotateKeys: endpoint(
      {
        summary: "Rotate the tenant's signing keys (the data plane publishes the new key first)",
        tags: ['tenants'],
        params: TenantParams,
        response: RotationAccepted,
        status: 202,
        errors: ['tenant_not_found', 'tenant_not_ready'],
      },
      async function rotateTenantKeys({ params }, _req, res) {
        const { tenantId } = await tenants.requestKeyRotation(params.tenant, actorOf(res).label);
        return { tenant_id: tenantId, status: 'rotation_requested' as const };
      },
    ),
  };
}
