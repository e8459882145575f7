import type { GlobalDb } from '@hellojohn/dal';
import type { EventBus, Subscription } from '@hellojohn/events';
import type { Logger } from '@hellojohn/http';
import { consumeTenantStatus } from './tenant-status.consumer';
import { tenantRoutes } from './tenants.routes';
import { createTenantService, type TenantService } from './tenants.service';

export { ListTenantsQuery, TenantParams } from './tenants.schemas';
export type { ListTenantsInput } from './tenants.schemas';
export type { StoredTenant, TenantService } from './tenants.service';

/** Tenants: create, read, update, delete, key rotation, and the data plane's provisioning answers. */
export interface TenantsModule {
  service: TenantService;
  routes: ReturnType<typeof tenantRoutes>;
  /** Subscribes to `control-plane.tenant-status` and applies each answer to the tenant's status. */
  consumeStatus(options: {
    bus: EventBus;
    logger: Logger;
    maxAttempts: number;
  }): Promise<Subscription>;
}

export function createTenantsModule(deps: {
  db: GlobalDb;
  masterKey: Buffer;
  publicUrl: string;
  /** Called after a commit that wrote to the outbox, to publish without waiting for a poll. */
  onOutboxWrite: () => void;
}): TenantsModule {
  const service = createTenantService(deps);
  return {
    service,
    routes: tenantRoutes(service),
    consumeStatus: (options) => consumeTenantStatus({ ...options, tenants: service }),
  };
}
