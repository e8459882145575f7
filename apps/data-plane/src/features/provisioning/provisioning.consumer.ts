import type { EventBus, EventEnvelope, Subscription } from '@hellojohn/events';
import type { Logger } from '@hellojohn/http';
import { safeReason } from '../../tenancy/safe-reason';
import type { ProvisioningService } from './provisioning.service';

export const PROVISIONING_QUEUE = 'data-plane.provisioning';

/** Events the shared provisioning queue carries: work that must happen once, on one replica. */
const PROVISIONING_ROUTING_KEYS = [
  'tenant.created',
  'tenant.deleted',
  'tenant.keys.rotation_requested',
];

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
  /** Base of the exponential retry back-off; default the bus's (1 s). */
  retryDelayMs?: number;
  prefetch?: number;
}): Promise<Subscription> {
  const { provisioning, logger } = deps;
  return deps.bus.subscribe(
    {
      name: PROVISIONING_QUEUE,
      mode: 'shared',
      routingKeys: PROVISIONING_ROUTING_KEYS,
      prefetch: deps.prefetch ?? 4,
      maxAttempts: deps.maxAttempts,
      ...(deps.retryDelayMs === undefined ? {} : { retryDelayMs: deps.retryDelayMs }),
      onDeadLetter: async ({ event, raw, reason, attempts }) => {
        logger.error(
          { tenant_id: event?.tenant_id, type: event?.type, reason, attempts },
          'provisioning event dead-lettered',
        );
        await provisioning.reportFailure(event, raw, reason, attempts);
      },
    },
    async function handleProvisioningEvent(event: EventEnvelope, meta) {
      logger.info(
        { tenant_id: event.tenant_id, type: event.type, attempt: meta.attempt },
        'provisioning event',
      );
      try {
        if (event.type === 'tenant.created') await provisioning.provision(event);
        else if (event.type === 'tenant.deleted') await provisioning.deprovision(event);
        else if (event.type === 'tenant.keys.rotation_requested')
          await provisioning.rotateKeys(event);
      } catch (error) {
        // The message travels to the retry queue, the DLQ and the tenant's status_reason: make
        // sure no driver message carries a password there.
        logger.warn(
          {
            tenant_id: event.tenant_id,
            type: event.type,
            attempt: meta.attempt,
            err: safeReason(error),
          },
          'provisioning event failed',
        );
        throw new Error(safeReason(error), { cause: error });
      }
    },
  );
}
