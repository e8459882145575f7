import { endpoint } from '@hellojohn/http';
import {
  Client,
  ClientList,
  ClientParams,
  ClientSecret,
  CreateClientBody,
  CreatedClient,
  ListClientsQuery,
  RotateSecretBody,
  TenantClientsParams,
  UpdateClientBody,
} from './clients.schemas';
import type { ClientService } from './clients.service';

/** OAuth clients of a tenant; writes need the owner role (guards are in routes/index.ts). */
export function clientRoutes(clients: ClientService) {
  return {
    create: endpoint(
      {
        summary: 'Register an OAuth client (a confidential client gets its secret once, here)',
        tags: ['clients'],
        params: TenantClientsParams,
        body: CreateClientBody,
        response: CreatedClient,
        status: 201,
        errors: ['validation_failed', 'tenant_not_found', 'tenant_not_ready'],
      },
      async function createClient({ params, body }, _req, res) {
        const client = await clients.create(params.tenant, body);
        // The body may carry a secret: no cache may keep it.
        res.setHeader('Cache-Control', 'no-store');
        res.setHeader('Location', `/v1/tenants/${params.tenant}/clients/${client.client_id}`);
        return client;
      },
    ),
    list: endpoint(
      {
        summary: "List a tenant's OAuth clients",
        tags: ['clients'],
        params: TenantClientsParams,
        query: ListClientsQuery,
        response: ClientList,
        errors: ['tenant_not_found', 'invalid_cursor'],
      },
      async function listClients({ params, query }) {
        return clients.list(params.tenant, query);
      },
    ),
    get: endpoint(
      {
        summary: 'Get an OAuth client (never its secret)',
        tags: ['clients'],
        params: ClientParams,
        response: Client,
        errors: ['tenant_not_found', 'client_not_found'],
      },
      async function getClient({ params }) {
        return clients.get(params.tenant, params.client_id);
      },
    ),
    update: endpoint(
      {
        summary: "Change an OAuth client's settings (any but its type)",
        tags: ['clients'],
        params: ClientParams,
        body: UpdateClientBody,
        response: Client,
        errors: ['validation_failed', 'tenant_not_found', 'client_not_found', 'tenant_not_ready'],
      },
      async function updateClient({ params, body }) {
        return clients.update(params.tenant, params.client_id, body);
      },
    ),
    remove: endpoint(
      {
        summary: 'Delete an OAuth client',
        tags: ['clients'],
        params: ClientParams,
        status: 204,
        errors: ['tenant_not_found', 'client_not_found', 'tenant_not_ready'],
      },
      async function deleteClient({ params }) {
        await clients.remove(params.tenant, params.client_id);
      },
    ),
    rotateSecret: endpoint(
      {
        summary: "Replace a confidential client's secret (shown once; the old one stops working)",
        tags: ['clients'],
        params: ClientParams,
        body: RotateSecretBody,
        response: ClientSecret,
        errors: ['validation_failed', 'tenant_not_found', 'client_not_found', 'tenant_not_ready'],
      },
      async function rotateClientSecret({ params }, _req, res) {
        const rotated = await clients.rotateSecret(params.tenant, params.client_id);
        res.setHeader('Cache-Control', 'no-store');
        return rotated;
      },
    ),
  };
}
