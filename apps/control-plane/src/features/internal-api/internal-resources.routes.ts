import { endpoint } from '@hellojohn/http';
import { InternalResourceList } from '@hellojohn/contracts';
import { z } from 'zod';
import { TenantRef } from '../clients';
import type { ResourceService } from '../resources';

/**
 * A tenant's API resources for the data plane, with the client grants on them: all in one
 * answer (a tenant has at most a hundred), so one read fills the data plane's cache.
 */
export function internalResourceRoutes(resources: ResourceService) {
  return {
    listResources: endpoint(
      {
        summary: "A tenant's API resources and client grants for the data plane",
        internal: true,
        params: z.strictObject({ tenant: TenantRef }),
        response: InternalResourceList,
      },
      async function listInternalResources({ params }, _req, res) {
        res.setHeader('Cache-Control', 'no-store');
        return { data: await resources.catalogue(params.tenant) };
      },
    ),
  };
}
