import type { EventBus, EventEnvelope, Subscription } from '@hellojohn/events';
import type { Logger } from '@hellojohn/http';
import type { ProvisioningService } from '../services/provisioning.service';

export const PROVISIONING_QUEUE = 'data-plane.provisioning';

/**
 * Shared by every data-plane replica. The bus acks only after the handler resolves, i.e. after
 * the work is done and its answer confirmed by the broker; failures retry with back-off and land
 * in `data-plane.provisioning.dlq` after `maxAttempts`, answering `tenant.provisioning_failed`.
 */
export function consumeProvisioning(deps: {
  bus: EventBus;
  provisioning: ProvisioningService;
  logger: Logger;
  maxAttempts: number;
}): Promise<Subscription> {
  const { provisioning, logger } = deps;
  return deps.bus.subscribe(
    {
      name: PROVISIONING_QUEUE,
      mode: 'shared',
      routingKeys: ['tenant.created', 'tenant.deleted'],
      prefetch: 4,
      maxAttempts: deps.maxAttempts,
      onDeadLetter: async ({ event, reason, attempts }) => {
        logger.error(
          { tenant_id: event?.tenant_id, reason, attempts },
          'provisioning dead-lettered',
        );
        await provisioning.reportFailure(event, reason, attempts);
      },
    },
    async function handleProvisioningEvent(event: EventEnvelope, meta) {
      logger.info(
        { tenant_id: event.tenant_id, type: event.type, attempt: meta.attempt },
        'provisioning event',
      );
      if (event.type === 'tenant.created') await provisioning.provision(event);
      else if (event.type === 'tenant.deleted') await provisioning.deprovision(event);
    },
  );
}
