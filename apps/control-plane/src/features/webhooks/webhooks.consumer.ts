import { randomUUID } from 'node:crypto';
import type { GlobalDb } from '@hellojohn/dal';
import type { EventBus, EventsLogger, Subscription } from '@hellojohn/events';
import { matchesEventFilter, WEBHOOK_ROUTING_KEYS } from './event-filter';

/** The control plane's durable queue of the data plane's domain events. */
const WEBHOOK_QUEUE = 'control-plane.webhooks';

/**
 * Turns each domain event into one delivery per enabled webhook of its tenant whose filter selects
 * it. The insert is idempotent on (event, webhook): an event the broker delivers twice (a crash
 * before the ack, a republished outbox row) never doubles a delivery. The event is acknowledged
 * once its deliveries are committed, so none is lost either.
 */
export function consumeWebhookEvents(deps: {
  db: GlobalDb;
  bus: EventBus;
  logger: EventsLogger;
  /** Called once deliveries were written, so the worker sends them without waiting for a poll. */
  onDeliveries: () => void;
}): Promise<Subscription> {
  const { db } = deps;
  return deps.bus.subscribe(
    { name: WEBHOOK_QUEUE, routingKeys: WEBHOOK_ROUTING_KEYS, mode: 'shared', maxAttempts: 10 },
    async function dispatchWebhookEvent(event) {
      const webhooks = (await db.webhooks.listEnabled(event.tenant_id)).filter((webhook) =>
        matchesEventFilter(webhook.eventTypes, event.type),
      );
      if (webhooks.length === 0) return;
      const body = JSON.stringify({
        type: event.type,
        timestamp: event.occurred_at,
        data: event.data,
      });
      await db.webhookDeliveries.addMany(
        webhooks.map((webhook) => ({
          id: randomUUID(),
          webhookId: webhook.id,
          tenantId: event.tenant_id,
          eventId: event.id,
          eventType: event.type,
          body,
        })),
      );
      deps.onDeliveries();
    },
  );
}
