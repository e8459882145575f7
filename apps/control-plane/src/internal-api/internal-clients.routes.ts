import { endpoint } from '@hellojohn/http';
import {
  ClientParams,
  InternalClient,
  InternalClientList,
  ListClientsQuery,
  TenantClientsParams,
} from '../schemas/client.schemas';
import type { ClientService } from '../services/client.service';

/**
 * Client configuration for the data plane only, with the secret hash it compares presented
 * secrets against in constant time; never in the public OpenAPI document.
 */
export function internalClientRoutes(clients: ClientService) {
  return {
    list: endpoint(
      {
        summary: "A tenant's client configurations for the data plane",
        internal: true,
        auth: 'internal',
        params: TenantClientsParams,
        query: ListClientsQuery,
        response: InternalClientList,
      },
      async function listInternalClients({ params, query }, _req, res) {
        res.setHeader('Cache-Control', 'no-store');
        return clients.listInternal(params.tenant, query);
      },
    ),
    get: endpoint(
      {
        summary: 'One client configuration for the data plane',
        internal: true,
        auth: 'internal',
        params: ClientParams,
        response: InternalClient,
      },
      async function getInternalClient({ params }, _req, res) {
        res.setHeader('Cache-Control', 'no-store');
        return clients.getInternal(params.tenant, params.client_id);
      },
    ),
  };
}
