import { endpoint } from '@hellojohn/http';
import { z } from 'zod';
import {
  CreateWebhookBody,
  DeliveryParams,
  ListDeliveriesQuery,
  ListWebhooksQuery,
  RotateWebhookSecretBody,
  TenantWebhooksParams,
  UpdateWebhookBody,
  Webhook,
  WebhookDelivery,
  WebhookDeliveryList,
  WebhookList,
  WebhookParams,
  WebhookWithSecret,
} from './webhooks.schemas';
import type { WebhookService } from './webhooks.service';

/**
 * A tenant's webhooks and their delivery log; writes need the `admin` role on the tenant, like the
 * rest of a tenant's content (routes/index.ts).
 */
export function webhookRoutes(webhooks: WebhookService) {
  return {
    create: endpoint(
      {
        summary: 'Create a webhook; the answer carries its signing secret, shown this once',
        tags: ['webhooks'],
        params: TenantWebhooksParams,
        body: CreateWebhookBody,
        response: WebhookWithSecret,
        status: 201,
        errors: [
          'validation_failed',
          'tenant_not_found',
          'tenant_not_ready',
          'webhook_limit_reached',
        ],
      },
      async function createWebhook({ params, body }, _req, res) {
        const webhook = await webhooks.create(params.tenant, body);
        res.setHeader('Cache-Control', 'no-store');
        res.setHeader('Location', `/v1/tenants/${params.tenant}/webhooks/${webhook.id}`);
        return webhook;
      },
    ),
    list: endpoint(
      {
        summary: "List a tenant's webhooks",
        tags: ['webhooks'],
        params: TenantWebhooksParams,
        query: ListWebhooksQuery,
        response: WebhookList,
        errors: ['tenant_not_found', 'invalid_cursor'],
      },
      async function listWebhooks({ params, query }) {
        return webhooks.list(params.tenant, query);
      },
    ),
    get: endpoint(
      {
        summary: 'Get a webhook (never its secret)',
        tags: ['webhooks'],
        params: WebhookParams,
        response: Webhook,
        errors: ['tenant_not_found', 'webhook_not_found'],
      },
      async function getWebhook({ params }) {
        return webhooks.get(params.tenant, params.id);
      },
    ),
    update: endpoint(
      {
        summary: "Change a webhook's URL, event types, description or enabled flag",
        tags: ['webhooks'],
        params: WebhookParams,
        body: UpdateWebhookBody,
        response: Webhook,
        errors: ['validation_failed', 'tenant_not_found', 'tenant_not_ready', 'webhook_not_found'],
      },
      async function updateWebhook({ params, body }) {
        return webhooks.update(params.tenant, params.id, body);
      },
    ),
    remove: endpoint(
      {
        summary: 'Delete a webhook and its delivery log (pending deliveries are dropped)',
        tags: ['webhooks'],
        params: WebhookParams,
        body: z.strictObject({}).optional(),
        status: 204,
        errors: ['tenant_not_found', 'webhook_not_found'],
      },
      async function deleteWebhook({ params }) {
        await webhooks.remove(params.tenant, params.id);
      },
    ),
    rotateSecret: endpoint(
      {
        summary:
          "Replace a webhook's signing secret; the old one keeps signing beside it for the overlap",
        tags: ['webhooks'],
        params: WebhookParams,
        body: RotateWebhookSecretBody,
        response: WebhookWithSecret,
        errors: ['validation_failed', 'tenant_not_found', 'tenant_not_ready', 'webhook_not_found'],
      },
      async function rotateWebhookSecret({ params, body }, _req, res) {
        const webhook = await webhooks.rotateSecret(params.tenant, params.id, body.overlap_seconds);
        res.setHeader('Cache-Control', 'no-store');
        return webhook;
      },
    ),
    listDeliveries: endpoint(
      {
        summary: "List a webhook's deliveries, newest first, with their latest attempt",
        tags: ['webhooks'],
        params: WebhookParams,
        query: ListDeliveriesQuery,
        response: WebhookDeliveryList,
        errors: ['tenant_not_found', 'webhook_not_found', 'invalid_cursor'],
      },
      async function listWebhookDeliveries({ params, query }) {
        return webhooks.listDeliveries(params.tenant, params.id, query);
      },
    ),
    retryDelivery: endpoint(
      {
        summary: 'Attempt a delivery again now, whatever its status (same webhook-id)',
        tags: ['webhooks'],
        params: DeliveryParams,
        body: z.strictObject({}).optional(),
        response: WebhookDelivery,
        status: 202,
        errors: [
          'tenant_not_found',
          'webhook_not_found',
          'webhook_delivery_not_found',
          'webhook_delivery_in_flight',
        ],
      },
      async function retryWebhookDelivery({ params }) {
        return webhooks.retryDelivery(params.tenant, params.id, params.delivery);
      },
    ),
  };
}
