import { webhookDeliveryStatuses } from '@hellojohn/dal';
import { pageOf, pageQuery, safeText } from '@hellojohn/http';
import { z } from 'zod';
import { TenantRef, uniqueArray } from '../clients';
import { isValidEventFilter, WEBHOOK_EVENT_TYPES } from './event-filter';

/** Webhooks one tenant may have: each event fans out to every one of them. */
export const MAX_WEBHOOKS_PER_TENANT = 20;

const Url = z
  .string()
  .min(1)
  .max(2048)
  .describe(
    'Where deliveries are POSTed: https (plain http only to loopback, where private targets are allowed).',
  );

const EventFilter = z
  .string()
  .max(100)
  .refine(isValidEventFilter, {
    error: `must be an event type (${WEBHOOK_EVENT_TYPES.join(', ')}), \`<entity>.*\` or \`*\``,
  });

const EventTypes = uniqueArray(EventFilter)
  .min(1)
  .max(50)
  .describe('The events to deliver: exact types, `user.*`-style wildcards, or `*` for all.');

const Description = safeText().trim().max(500).nullable();

export const CreateWebhookBody = z.strictObject({
  url: Url,
  event_types: EventTypes,
  enabled: z.boolean().default(true),
  description: Description.default(null),
});

export const UpdateWebhookBody = z
  .strictObject({
    url: Url.optional(),
    event_types: EventTypes.optional(),
    enabled: z.boolean().optional(),
    description: Description.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { error: 'must change at least one field' });

export const RotateWebhookSecretBody = z.strictObject({
  overlap_seconds: z
    .int()
    .min(0)
    .max(30 * 24 * 3600)
    .default(0)
    .describe(
      'How long the old secret keeps signing beside the new one (0: it stops at once; at most 30 days).',
    ),
});

const WebhookId = z.uuid().describe('The id the control plane gave the webhook.');

export const TenantWebhooksParams = z.strictObject({ tenant: TenantRef });
export const WebhookParams = z.strictObject({ tenant: TenantRef, id: WebhookId });
export const DeliveryParams = z.strictObject({
  tenant: TenantRef,
  id: WebhookId,
  delivery: z.uuid().describe('The delivery id: the `webhook-id` header it is sent with.'),
});
export const ListWebhooksQuery = pageQuery;
export const ListDeliveriesQuery = pageQuery;

export const Webhook = z.object({
  id: z.string(),
  url: z.string(),
  event_types: z.array(z.string()),
  enabled: z.boolean(),
  description: z.string().nullable(),
  failing_since: z
    .string()
    .nullable()
    .describe('Set when a delivery exhausted its retries; cleared by the next success.'),
  previous_secret_expires_at: z
    .string()
    .nullable()
    .describe('While a rotation overlaps: when the previous secret stops signing.'),
  created_at: z.string(),
  updated_at: z.string(),
});

/** The create and rotate answers: the only time the signing secret is shown. */
export const WebhookWithSecret = Webhook.extend({
  secret: z
    .string()
    .describe('`whsec_` + base64 of 32 bytes: the signing secret, shown this once.'),
});

export const WebhookList = pageOf(Webhook);

export const WebhookDelivery = z.object({
  id: z.string().describe('Also the `webhook-id` header of every attempt.'),
  event_id: z.string(),
  event_type: z.string(),
  status: z.enum(webhookDeliveryStatuses),
  attempts: z.number().int(),
  response_status: z.number().int().nullable().describe('HTTP status of the latest attempt.'),
  duration_ms: z.number().int().nullable().describe('How long the latest attempt took.'),
  error: z.string().nullable().describe('Why the latest attempt failed.'),
  last_attempt_at: z.string().nullable(),
  next_attempt_at: z.string().nullable(),
  created_at: z.string(),
});

export const WebhookDeliveryList = pageOf(WebhookDelivery);

export type CreateWebhookInput = z.output<typeof CreateWebhookBody>;
export type UpdateWebhookInput = z.output<typeof UpdateWebhookBody>;
export type PageInput = z.output<typeof pageQuery>;
export type WebhookView = z.input<typeof Webhook>;
export type WebhookWithSecretView = z.input<typeof WebhookWithSecret>;
export type WebhookDeliveryView = z.input<typeof WebhookDelivery>;
