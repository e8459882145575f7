import { endpoint } from '@hellojohn/http';
import { ClientParams, ListClientsQuery, TenantClientsParams } from '../clients';
import { InternalClient, InternalClientPage } from '@hellojohn/contracts';
import type { InternalApiService } from './internal-api.service';

/**
 * Client configuration for the data plane only, with the secret hash it compares presented
 * secrets against in constant time; never in the public OpenAPI document.
 */
export function internalClientRoutes(internalApi: InternalApiService) {
  return {
    listClients: endpoint(
      {
        summary: "A tenant's client configurations for the data plane",
        internal: true,
        params: TenantClientsParams,
        query: ListClientsQuery,
        response: InternalClientPage,
      },
      async function listInternalClients({ params, query }, _req, res) {
        res.setHeader('Cache-Control', 'no-store');
        return internalApi.listClients(params.tenant, query);
      },
    ),
    getClient: endpoint(
      {
        summary: 'One client configuration for the data plane',
        internal: true,
        params: ClientParams,
        response: InternalClient,
      },
      async function getInternalClient({ params }, _req, res) {
        res.setHeader('Cache-Control', 'no-store');
        return internalApi.getClient(params.tenant, params.client_id);
      },
    ),
  };
}
