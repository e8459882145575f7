import type { GlobalDb } from '@hellojohn/dal';
import { identityProviderRoutes } from './identity-providers.routes';
import {
  createIdentityProviderService,
  type IdentityProviderService,
} from './identity-providers.service';
import { internalIdentityProviderRoutes } from './internal-identity-providers.routes';

export type { IdentityProviderService } from './identity-providers.service';

/** A tenant's upstream identity providers (federation), each change with its event. */
export interface IdentityProvidersModule {
  service: IdentityProviderService;
  routes: ReturnType<typeof identityProviderRoutes> &
    ReturnType<typeof internalIdentityProviderRoutes>;
}

export function createIdentityProvidersModule(deps: {
  db: GlobalDb;
  masterKey: Buffer;
  publicUrl: string;
  /** Called after a commit that wrote to the outbox, to publish without waiting for a poll. */
  onOutboxWrite: () => void;
}): IdentityProvidersModule {
  const service = createIdentityProviderService(deps);
  return {
    service,
    routes: { ...identityProviderRoutes(service), ...internalIdentityProviderRoutes(service) },
  };
}
