// Wire types of the control plane's webhook routes (docs/webhooks.md), read from its OpenAPI
// document like every other REST type of the SDK.
import type { paths } from '../generated/control-plane';
import type { Body, Item, Json, QueryOf } from './wire';

/** A tenant's webhook endpoint (never its secret). */
export type Webhook = Json<paths['/v1/tenants/{tenant}/webhooks/{id}']['get']>;
/** The create and rotate answers: the webhook with its `whsec_` secret, shown this once. */
export type WebhookWithSecret = Json<paths['/v1/tenants/{tenant}/webhooks']['post']>;
export type CreateWebhookInput = Body<paths['/v1/tenants/{tenant}/webhooks']['post']>;
export type UpdateWebhookInput = Body<paths['/v1/tenants/{tenant}/webhooks/{id}']['patch']>;
export type RotateWebhookSecretInput = Body<
  paths['/v1/tenants/{tenant}/webhooks/{id}/secret/rotate']['post']
>;
export type WebhooksQuery = QueryOf<paths['/v1/tenants/{tenant}/webhooks']['get']>;
/** One event for one webhook, with the outcome of its latest attempt. */
export type WebhookDelivery = Item<
  Json<paths['/v1/tenants/{tenant}/webhooks/{id}/deliveries']['get']>
>;
export type WebhookDeliveriesQuery = QueryOf<
  paths['/v1/tenants/{tenant}/webhooks/{id}/deliveries']['get']
>;
