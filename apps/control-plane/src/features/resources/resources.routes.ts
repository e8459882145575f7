import { endpoint } from '@hellojohn/http';
import { z } from 'zod';
import {
  ClientGrant,
  ClientGrantList,
  ClientGrantParams,
  ClientGrantsParams,
  CreateResourceBody,
  ListResourcesQuery,
  PutClientGrantBody,
  Resource,
  ResourceList,
  ResourceParams,
  TenantResourcesParams,
  UpdateResourceBody,
} from './resources.schemas';
import type { ResourceService } from './resources.service';

/** API resources of a tenant and clients' grants on them; writes need the owner role (routes/index.ts). */
export function resourceRoutes(resources: ResourceService) {
  return {
    create: endpoint(
      {
        summary:
          'Define an API resource: the audience, permissions and signing algorithm of its tokens',
        tags: ['resources'],
        params: TenantResourcesParams,
        body: CreateResourceBody,
        response: Resource,
        status: 201,
        errors: [
          'validation_failed',
          'tenant_not_found',
          'tenant_not_ready',
          'resource_identifier_taken',
          'resource_limit_reached',
        ],
      },
      async function createResource({ params, body }, _req, res) {
        const resource = await resources.create(params.tenant, body);
        res.setHeader('Location', `/v1/tenants/${params.tenant}/resources/${resource.id}`);
        return resource;
      },
    ),
    list: endpoint(
      {
        summary: "List a tenant's API resources",
        tags: ['resources'],
        params: TenantResourcesParams,
        query: ListResourcesQuery,
        response: ResourceList,
        errors: ['tenant_not_found', 'invalid_cursor'],
      },
      async function listResources({ params, query }) {
        return resources.list(params.tenant, query);
      },
    ),
    get: endpoint(
      {
        summary: 'Get an API resource',
        tags: ['resources'],
        params: ResourceParams,
        response: Resource,
        errors: ['tenant_not_found', 'resource_not_found'],
      },
      async function getResource({ params }) {
        return resources.get(params.tenant, params.id);
      },
    ),
    update: endpoint(
      {
        summary:
          'Change an API resource (scopes it no longer defines are removed from client grants)',
        tags: ['resources'],
        params: ResourceParams,
        body: UpdateResourceBody,
        response: Resource,
        errors: [
          'validation_failed',
          'tenant_not_found',
          'tenant_not_ready',
          'resource_not_found',
          'resource_identifier_taken',
        ],
      },
      async function updateResource({ params, body }) {
        return resources.update(params.tenant, params.id, body);
      },
    ),
    remove: endpoint(
      {
        summary: 'Delete an API resource and every client grant on it',
        tags: ['resources'],
        params: ResourceParams,
        status: 204,
        errors: ['tenant_not_found', 'tenant_not_ready', 'resource_not_found'],
      },
      async function deleteResource({ params }) {
        await resources.remove(params.tenant, params.id);
      },
    ),
    putGrant: endpoint(
      {
        summary:
          "Set a confidential client's scopes on an API resource (what client credentials may obtain for it)",
        tags: ['resources'],
        params: ClientGrantParams,
        body: PutClientGrantBody,
        response: ClientGrant,
        errors: [
          'validation_failed',
          'tenant_not_found',
          'tenant_not_ready',
          'client_not_found',
          'resource_not_found',
        ],
      },
      async function putClientGrant({ params, body }) {
        return resources.putGrant(params.tenant, params.client_id, params.id, body.scopes);
      },
    ),
    removeGrant: endpoint(
      {
        summary: "Remove a client's grant on an API resource",
        tags: ['resources'],
        params: ClientGrantParams,
        body: z.strictObject({}).optional(),
        status: 204,
        errors: ['tenant_not_found', 'tenant_not_ready', 'client_not_found', 'resource_not_found'],
      },
      async function removeClientGrant({ params }) {
        await resources.removeGrant(params.tenant, params.client_id, params.id);
      },
    ),
    listGrants: endpoint(
      {
        summary: "List a client's grants on API resources",
        tags: ['resources'],
        params: ClientGrantsParams,
        response: ClientGrantList,
        errors: ['tenant_not_found', 'client_not_found'],
      },
      async function listClientGrants({ params }) {
        return resources.listGrants(params.tenant, params.client_id);
      },
    ),
  };
}
