import type { ClientService } from '../clients';
import type { TenantService } from '../tenants';
import { createInternalApiService, type InternalApiService } from './internal-api.service';
import { internalClientRoutes } from './internal-clients.routes';
import { internalTenantRoutes } from './internal-tenants.routes';

/** `/internal/v1`: tenant and client configuration for the data plane (`HJ_INTERNAL_TOKEN`). */
export interface InternalApiModule {
  service: InternalApiService;
  routes: ReturnType<typeof internalTenantRoutes> & ReturnType<typeof internalClientRoutes>;
}

export function createInternalApiModule(deps: {
  tenants: TenantService;
  clients: ClientService;
}): InternalApiModule {
  const service = createInternalApiService(deps);
  return {
    service,
    routes: { ...internalTenantRoutes(service), ...internalClientRoutes(service) },
  };
}
