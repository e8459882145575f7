import { endpoint } from '@hellojohn/http';
import { InternalIdentityProviderList } from '@hellojohn/contracts';
import { z } from 'zod';
import { TenantRef } from '../clients';
import type { IdentityProviderService } from './identity-providers.service';

/**
 * A tenant's identity providers for the data plane, secrets opened: all in one answer (at most
 * fifty), so one read fills the data plane's cache. Behind `HJ_INTERNAL_TOKEN` (routes/index.ts).
 */
export function internalIdentityProviderRoutes(providers: IdentityProviderService) {
  return {
    listInternal: endpoint(
      {
        summary: "A tenant's identity providers for the data plane",
        internal: true,
        params: z.strictObject({ tenant: TenantRef }),
        response: InternalIdentityProviderList,
      },
      async function listInternalIdentityProviders({ params }, _req, res) {
        res.setHeader('Cache-Control', 'no-store');
        return { data: await providers.catalogue(params.tenant) };
      },
    ),
  };
}
