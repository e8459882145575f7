import type { GlobalDb } from '@hellojohn/dal';
import { apiKeyRoutes } from './api-keys.routes';
import { createApiKeyService, type ApiKeyService } from './api-keys.service';

export {
  GrantTenants,
  GrantTenantsInput,
  OperatorRole,
  VerifiedApiKey,
  VerifyApiKeyBody,
} from './api-keys.schemas';
export type { ApiKeyService } from './api-keys.service';
export { grantTenantsView, resolveGrantTenants } from './resolve-grant-tenants';

/** API keys: machine credentials of operators, with a role and tenants like an admin. */
export interface ApiKeysModule {
  service: ApiKeyService;
  routes: ReturnType<typeof apiKeyRoutes>;
}

export function createApiKeysModule(deps: {
  db: GlobalDb;
  onOutboxWrite: () => void;
}): ApiKeysModule {
  const service = createApiKeyService(deps);
  return { service, routes: apiKeyRoutes(service) };
}
