import type { GlobalDb } from '@hellojohn/dal';
import { resourceRoutes } from './resources.routes';
import { createResourceService, type ResourceService } from './resources.service';

export type { ResourceService } from './resources.service';

/** A tenant's API resources and the client grants on them, each change with its event. */
export interface ResourcesModule {
  service: ResourceService;
  routes: ReturnType<typeof resourceRoutes>;
}

export function createResourcesModule(deps: {
  db: GlobalDb;
  /** Called after a commit that wrote to the outbox, to publish without waiting for a poll. */
  onOutboxWrite: () => void;
}): ResourcesModule {
  const service = createResourceService(deps);
  return { service, routes: resourceRoutes(service) };
}
