import type { Webhook } from '@hellojohn/sdk';
import { z } from 'zod';
import { crudTools } from './crud-tools';
import {
  defined,
  defineTool,
  itemResult,
  pageInput,
  pageOutput,
  pageResult,
  tenantInput,
  pageQuery,
} from './define-tool';

const webhookId = z.string().min(1).max(200).describe('The webhook id (webhooks_list).');
const eventTypes = z
  .array(z.string().min(1).max(100))
  .min(1)
  .max(100)
  .describe('Event types to deliver: exact (user.created), wildcards (user.*), or * for all.');
const webhookFields = {
  description: z.string().max(500).nullable().optional(),
  enabled: z.boolean().optional(),
};
const webhookOutput = { id: z.string(), url: z.string(), enabled: z.boolean() };

/** A tenant's webhooks and their delivery log (docs/webhooks.md). */
export const webhookTools = [
  ...crudTools<Webhook>({
    area: 'webhooks',
    noun: 'webhooks',
    id: { name: 'webhook_id', schema: webhookId },
    output: webhookOutput,
    label: (webhook) => webhook.url,
    sdk: (ctx) => ctx.cp.webhooks,
    list: {
      example: { tenant: 'acme' },
      title: "List a tenant's webhooks",
      description:
        "The tenant's webhook endpoints: URL, event types, enabled, failing. Never secrets.",
    },
    get: {
      example: { tenant: 'acme', webhook_id: 'wh_1' },
      title: 'Get a webhook',
      description: 'One webhook endpoint, with whether deliveries to it are failing.',
    },
    create: {
      example: { tenant: 'acme', url: 'https://hooks.example.com/hj', event_types: ['user.*'] },
      title: 'Create a webhook',
      description:
        "Sends the tenant's events (user.created, session.revoked, ...) to a URL (https; plain " +
        'http only to loopback in development), signed per Standard Webhooks. The signing secret ' +
        '(whsec_...) is in this answer only: show it to the user once.',
      input: { url: z.url(), event_types: eventTypes, ...webhookFields },
      output: { ...webhookOutput, secret: z.string() },
      summary: (webhook) => `created webhook ${webhook.id}; secret shown once`,
    },
    update: {
      example: { tenant: 'acme', webhook_id: 'wh_1', enabled: false },
      title: 'Change a webhook',
      description: "Changes a webhook's URL, event types, description or enabled flag.",
      input: { url: z.url().optional(), event_types: eventTypes.optional(), ...webhookFields },
    },
    delete: {
      example: { tenant: 'acme', webhook_id: 'wh_1', confirm: true },
      title: 'Delete a webhook',
      description: 'Deletes a webhook with its delivery log; pending deliveries are dropped.',
    },
  }),
  defineTool({
    name: 'webhooks_rotate_secret',
    example: { tenant: 'acme', webhook_id: 'wh_1', overlap_seconds: 86400, confirm: true },
    title: "Rotate a webhook's signing secret",
    description:
      'A new signing secret (shown in this answer only); the old one keeps signing beside it for ' +
      'overlap_seconds so the receiver can switch without losing deliveries.',
    kind: 'destructive',
    idempotent: false,
    input: {
      tenant: tenantInput,
      webhook_id: webhookId,
      overlap_seconds: z.number().int().min(0).max(2_592_000).optional(),
    },
    output: { ...webhookOutput, secret: z.string() },
    run: async (args, ctx) => {
      const webhook = await ctx.cp.webhooks.rotateSecret(
        args.tenant,
        args.webhook_id,
        defined({ overlap_seconds: args.overlap_seconds }),
      );
      return itemResult(webhook, `rotated secret of ${webhook.id}; new secret shown once`);
    },
  }),
  defineTool({
    name: 'webhooks_deliveries_list',
    example: { tenant: 'acme', webhook_id: 'wh_1', limit: 10 },
    title: "A webhook's delivery log",
    description:
      'Deliveries to one webhook, newest first: event type, status (pending, succeeded, failed), ' +
      'attempts, last response code and error.',
    kind: 'read',
    idempotent: true,
    input: { tenant: tenantInput, webhook_id: webhookId, ...pageInput },
    output: pageOutput,
    run: async (args, ctx) =>
      pageResult(
        await ctx.cp.webhooks.deliveries(args.tenant, args.webhook_id, pageQuery(args)),
        'deliveries',
      ),
  }),
  defineTool({
    name: 'webhooks_delivery_retry',
    example: { tenant: 'acme', webhook_id: 'wh_1', delivery_id: 'dlv_1' },
    title: 'Retry a webhook delivery',
    description: 'Makes one delivery due now (same webhook-id, so the receiver can de-duplicate).',
    kind: 'write',
    idempotent: false,
    input: {
      tenant: tenantInput,
      webhook_id: webhookId,
      delivery_id: z.string().min(1).max(200),
    },
    output: { id: z.string() },
    run: async (args, ctx) => {
      const delivery = await ctx.cp.webhooks.retryDelivery(
        args.tenant,
        args.webhook_id,
        args.delivery_id,
      );
      return itemResult(delivery, `delivery ${delivery.id} due now`);
    },
  }),
];
