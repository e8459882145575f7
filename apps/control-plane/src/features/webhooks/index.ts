import type { GlobalDb } from '@hellojohn/dal';
import type { EventBus, EventsLogger, Subscription } from '@hellojohn/events';
import type { Logger } from '@hellojohn/http';
import { createDeliveryWorker, type DeliveryWorker } from './delivery-worker';
import { consumeWebhookEvents } from './webhooks.consumer';
import { webhookRoutes } from './webhooks.routes';
import { createWebhookService, type WebhookService } from './webhooks.service';

export type { WebhookService } from './webhooks.service';
export type { DeliveryWorker } from './delivery-worker';

/**
 * Webhooks of tenants: their configuration, the dispatcher that turns the data plane's domain
 * events into deliveries, and the worker that signs and sends them.
 */
export interface WebhooksModule {
  service: WebhookService;
  routes: ReturnType<typeof webhookRoutes>;
  worker: DeliveryWorker;
  /** Subscribes the dispatcher to the bus (`control-plane.webhooks`). */
  consumeEvents(deps: { bus: EventBus; logger: EventsLogger }): Promise<Subscription>;
}

export function createWebhooksModule(deps: {
  db: GlobalDb;
  masterKey: Buffer;
  logger: Logger;
  /** `HJ_WEBHOOK_RETRY_SCHEDULE`, in seconds. */
  retrySchedule: readonly number[];
  /** `HJ_WEBHOOK_ALLOW_PRIVATE`. */
  allowPrivate: boolean;
}): WebhooksModule {
  const worker = createDeliveryWorker(deps);
  const service = createWebhookService({
    db: deps.db,
    masterKey: deps.masterKey,
    allowPrivate: deps.allowPrivate,
    onRetry: () => {
      worker.kick();
    },
  });
  return {
    service,
    routes: webhookRoutes(service),
    worker,
    consumeEvents: ({ bus, logger }) =>
      consumeWebhookEvents({
        db: deps.db,
        bus,
        logger,
        onDeliveries: () => {
          worker.kick();
        },
      }),
  };
}
