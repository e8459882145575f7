import type { EventBus, Subscription } from '@hellojohn/events';
import type { Logger } from '@hellojohn/http';
import type { TenantService } from './tenants.service';

const TENANT_STATUS_QUEUE = 'control-plane.tenant-status';

/** Applies the data plane's provisioning answers to tenant status. */
export function consumeTenantStatus(deps: {
  bus: EventBus;
  tenants: TenantService;
  logger: Logger;
  maxAttempts: number;
}): Promise<Subscription> {
  return deps.bus.subscribe(
    {
      name: TENANT_STATUS_QUEUE,
      mode: 'shared',
      routingKeys: ['tenant.provisioned', 'tenant.provisioning_failed', 'tenant.deprovisioned'],
      maxAttempts: deps.maxAttempts,
      onDeadLetter: async ({ reason, attempts }) => {
        deps.logger.error({ reason, attempts }, 'tenant status event dead-lettered');
      },
    },
    async function applyTenantStatus(event) {
      await deps.tenants.applyProvisioningResult(event);
      deps.logger.info({ tenant_id: event.tenant_id, type: event.type }, 'tenant status applied');
    },
  );
}
