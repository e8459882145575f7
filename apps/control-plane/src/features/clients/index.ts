import type { GlobalDb } from '@hellojohn/dal';
import { clientRoutes } from './clients.routes';
import { createClientService, type ClientService } from './clients.service';

export {
  ClientParams,
  ListClientsQuery,
  ScopeToken,
  TenantClientsParams,
  TenantRef,
  uniqueArray,
} from './clients.schemas';
export type { ListClientsInput } from './clients.schemas';
export { toClientView } from './clients.service';
export type { ClientService } from './clients.service';

/** A tenant's OAuth clients: registration, changes, secret rotation, each with its event. */
export interface ClientsModule {
  service: ClientService;
  routes: ReturnType<typeof clientRoutes>;
}

export function createClientsModule(deps: {
  db: GlobalDb;
  /** Called after a commit that wrote to the outbox, to publish without waiting for a poll. */
  onOutboxWrite: () => void;
}): ClientsModule {
  const service = createClientService(deps);
  return { service, routes: clientRoutes(service) };
}
