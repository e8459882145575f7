import type { Subscription } from '@hellojohn/events';
import { consumeProvisioning } from './provisioning.consumer';
import {
  createProvisioningService,
  type ProvisioningService,
  type ProvisioningServiceDeps,
} from './provisioning.service';
import { createTenantServerStatus, type TenantServerStatus } from './tenant-server-status';

export { PROVISIONING_QUEUE } from './provisioning.consumer';
export { seedDefaultRoles } from './default-roles';

/** Tenant databases made, migrated, keyed and dropped on the control plane's events. */
export interface ProvisioningModule {
  service: ProvisioningService;
  /** The managed tenant database server, for `/readyz`. */
  serverStatus: TenantServerStatus;
  /** Starts consuming `data-plane.provisioning` (shared by every replica). */
  consume(): Promise<Subscription>;
  close(): Promise<void>;
}

export function createProvisioningModule(
  deps: ProvisioningServiceDeps & {
    /** Deliveries before a message is dead-lettered (`HJ_PROVISIONING_MAX_ATTEMPTS`). */
    maxAttempts: number;
    /** Events handled at once by this process (`HJ_PROVISIONING_CONCURRENCY`); default 4. */
    concurrency?: number;
  },
): ProvisioningModule {
  const service = createProvisioningService(deps);
  const serverStatus = createTenantServerStatus(deps.serverUrl);
  return {
    service,
    serverStatus,
    consume: () =>
      consumeProvisioning({
        bus: deps.bus,
        provisioning: service,
        logger: deps.logger,
        maxAttempts: deps.maxAttempts,
        ...(deps.concurrency === undefined ? {} : { prefetch: deps.concurrency }),
      }),
    close: () => serverStatus.close(),
  };
}
