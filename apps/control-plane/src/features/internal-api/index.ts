import type { GlobalDb } from '@hellojohn/dal';
import type { ApiKeyService } from '../api-keys';
import type { ClientService } from '../clients';
import type { ResourceService } from '../resources';
import type { TenantService } from '../tenants';
import { createInternalApiService, type InternalApiService } from './internal-api.service';
import { internalClientRoutes } from './internal-clients.routes';
import { internalOperatorRoutes } from './internal-operators.routes';
import { internalResourceRoutes } from './internal-resources.routes';
import { internalTenantRoutes } from './internal-tenants.routes';

/** `/internal/v1`: tenant and client configuration for the data plane (`HJ_INTERNAL_TOKEN`). */
export interface InternalApiModule {
  service: InternalApiService;
  routes: ReturnType<typeof internalTenantRoutes> &
    ReturnType<typeof internalClientRoutes> &
    ReturnType<typeof internalResourceRoutes> &
    ReturnType<typeof internalOperatorRoutes>;
}

export function createInternalApiModule(deps: {
  tenants: TenantService;
  clients: ClientService;
  resources: ResourceService;
  apiKeys: ApiKeyService;
  db: GlobalDb;
}): InternalApiModule {
  const service = createInternalApiService(deps);
  return {
    service,
    routes: {
      ...internalTenantRoutes(service),
      ...internalClientRoutes(service),
      ...internalResourceRoutes(deps.resources),
      ...internalOperatorRoutes(deps),
    },
  };
}
