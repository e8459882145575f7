import { randomUUID } from 'node:crypto';
import type { GlobalDb, TenantRow, WebhookDeliveryRow, WebhookRow } from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';
import { fetchPage } from '../../shared/fetch-page';
import { findTenant, writableTenant } from '../../shared/tenant-refs';
import { openCurrentSecret, sealCurrentSecret, sealPreviousSecret } from './webhook-secrets';
import { generateWebhookSecret } from './webhook-signature';
import { webhookUrlProblem } from './webhook-target';
import {
  MAX_WEBHOOKS_PER_TENANT,
  type CreateWebhookInput,
  type PageInput,
  type UpdateWebhookInput,
  type WebhookDeliveryView,
  type WebhookView,
  type WebhookWithSecretView,
} from './webhooks.schemas';

type Paged<T> = Promise<{ data: T[]; next_cursor: string | null }>;

export interface WebhookService {
  create(tenant: string, input: CreateWebhookInput): Promise<WebhookWithSecretView>;
  list(tenant: string, query: PageInput): Paged<WebhookView>;
  get(tenant: string, id: string): Promise<WebhookView>;
  update(tenant: string, id: string, patch: UpdateWebhookInput): Promise<WebhookView>;
  /** Deletes the webhook and its delivery log; pending deliveries are dropped. */
  remove(tenant: string, id: string): Promise<void>;
  /** A new secret; the old one keeps signing beside it for `overlapSeconds`. */
  rotateSecret(tenant: string, id: string, overlapSeconds: number): Promise<WebhookWithSecretView>;
  listDeliveries(tenant: string, id: string, query: PageInput): Paged<WebhookDeliveryView>;
  /** Makes a delivery due now, whatever its status (one more attempt after `failed`). */
  retryDelivery(tenant: string, id: string, deliveryId: string): Promise<WebhookDeliveryView>;
}

const iso = (date: Date | null): string | null => (date === null ? null : date.toISOString());

function toWebhookView(row: WebhookRow, now = new Date()): WebhookView {
  const overlapping =
    row.previousSecretExpiresAt !== null && row.previousSecretExpiresAt > now
      ? row.previousSecretExpiresAt
      : null;
  return {
    id: row.id,
    url: row.url,
    event_types: row.eventTypes,
    enabled: row.enabled,
    description: row.description,
    failing_since: iso(row.failingSince),
    previous_secret_expires_at: iso(overlapping),
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

function toDeliveryView(row: WebhookDeliveryRow): WebhookDeliveryView {
  return {
    id: row.id,
    event_id: row.eventId,
    event_type: row.eventType,
    status: row.status,
    attempts: row.attempts,
    response_status: row.responseStatus,
    duration_ms: row.durationMs,
    error: row.lastError,
    last_attempt_at: iso(row.lastAttemptAt),
    next_attempt_at: iso(row.nextAttemptAt),
    created_at: row.createdAt.toISOString(),
  };
}

/**
 * A tenant's webhooks and their delivery log. Secrets are generated here, shown once, and stored
 * sealed with the master key (bound to their webhook). Webhooks are read from the database on each
 * event, so a change takes effect on every replica at once.
 *
 * @example
 * const webhooks = createWebhookService({ db, masterKey, allowPrivate: false, onRetry });
 * const { secret } = await webhooks.create('acme', { url, event_types: ['user.*'], ... });
 */
export function createWebhookService(deps: {
  db: GlobalDb;
  masterKey: Buffer;
  /** `HJ_WEBHOOK_ALLOW_PRIVATE`. */
  allowPrivate: boolean;
  /** Called after a delivery was made due, so the worker sends it without waiting for a poll. */
  onRetry: () => void;
}): WebhookService {
  const { db, masterKey } = deps;

  function checkUrl(url: string | undefined): void {
    if (url === undefined) return;
    const problem = webhookUrlProblem(url, deps.allowPrivate);
    if (problem !== undefined) {
      throw new AppError('validation_failed', 'The request body is not valid.', {
        errors: [{ path: 'body.url', message: problem }],
      });
    }
  }

  async function findWebhook(handle: GlobalDb, tenant: TenantRow, id: string) {
    const row = await handle.webhooks.find(tenant.id, id);
    if (!row) throw new AppError('webhook_not_found', `No webhook "${id}".`);
    return row;
  }

  return {
    async create(ref, input) {
      checkUrl(input.url);
      const secret = generateWebhookSecret();
      const row = await db.transaction(async (tx) => {
        const tenant = await writableTenant(tx, ref);
        if ((await tx.webhooks.countByTenant(tenant.id)) >= MAX_WEBHOOKS_PER_TENANT) {
          throw new AppError(
            'webhook_limit_reached',
            `A tenant may have at most ${MAX_WEBHOOKS_PER_TENANT} webhooks.`,
          );
        }
        const id = randomUUID();
        return tx.webhooks.create({
          id,
          tenantId: tenant.id,
          url: input.url,
          eventTypes: input.event_types,
          enabled: input.enabled,
          description: input.description,
          secretSealed: sealCurrentSecret(masterKey, id, secret),
        });
      });
      return { ...toWebhookView(row), secret };
    },

    async list(ref, query) {
      const tenant = await findTenant(db, ref);
      const page = await fetchPage(() => db.webhooks.listByTenant(tenant.id, query));
      const now = new Date();
      return {
        data: page.rows.map((row) => toWebhookView(row, now)),
        next_cursor: page.nextCursor,
      };
    },

    async get(ref, id) {
      return toWebhookView(await findWebhook(db, await findTenant(db, ref), id));
    },

    async update(ref, id, patch) {
      checkUrl(patch.url);
      const row = await db.transaction(async (tx) => {
        const tenant = await writableTenant(tx, ref);
        await findWebhook(tx, tenant, id);
        const updated = await tx.webhooks.update(tenant.id, id, {
          url: patch.url,
          eventTypes: patch.event_types,
          enabled: patch.enabled,
          description: patch.description,
        });
        if (!updated) throw new AppError('webhook_not_found', `No webhook "${id}".`);
        return updated;
      });
      return toWebhookView(row);
    },

    async remove(ref, id) {
      const tenant = await findTenant(db, ref);
      if (!(await db.webhooks.delete(tenant.id, id))) {
        throw new AppError('webhook_not_found', `No webhook "${id}".`);
      }
    },

    async rotateSecret(ref, id, overlapSeconds) {
      const secret = generateWebhookSecret();
      const row = await db.transaction(async (tx) => {
        const tenant = await writableTenant(tx, ref);
        const current = await findWebhook(tx, tenant, id);
        const overlap = overlapSeconds > 0;
        const updated = await tx.webhooks.setSecrets(tenant.id, id, {
          secretSealed: sealCurrentSecret(masterKey, id, secret),
          previousSecretSealed: overlap
            ? sealPreviousSecret(masterKey, id, openCurrentSecret(masterKey, current))
            : null,
          previousSecretExpiresAt: overlap ? new Date(Date.now() + overlapSeconds * 1000) : null,
        });
        if (!updated) throw new AppError('webhook_not_found', `No webhook "${id}".`);
        return updated;
      });
      return { ...toWebhookView(row), secret };
    },

    async listDeliveries(ref, id, query) {
      const webhook = await findWebhook(db, await findTenant(db, ref), id);
      const page = await fetchPage(() => db.webhookDeliveries.listByWebhook(webhook.id, query));
      return { data: page.rows.map(toDeliveryView), next_cursor: page.nextCursor };
    },

    async retryDelivery(ref, id, deliveryId) {
      const webhook = await findWebhook(db, await findTenant(db, ref), id);
      const delivery = await db.webhookDeliveries.find(webhook.id, deliveryId);
      if (!delivery) {
        throw new AppError('webhook_delivery_not_found', `No delivery "${deliveryId}".`);
      }
      if (!(await db.webhookDeliveries.requeue(webhook.id, deliveryId, new Date()))) {
        throw new AppError('webhook_delivery_in_flight');
      }
      const requeued = await db.webhookDeliveries.find(webhook.id, deliveryId);
      deps.onRetry();
      return toDeliveryView(requeued ?? delivery);
    },
  };
}
