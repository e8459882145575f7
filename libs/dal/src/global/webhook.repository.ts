import type { Knex } from 'knex';
import { z } from 'zod';
import { mapDbError } from '../db-errors';
import { countRow, dbBool, dbDate, dbDateOrNull, dbJsonStrings, toJson } from '../internal/columns';
import type { CursorCodec, Page, PageRequest } from '../internal/keyset';
import { keysetPage } from '../internal/keyset';

const webhookSchema = z
  .object({
    id: z.string(),
    tenant_id: z.string(),
    url: z.string(),
    event_types: dbJsonStrings,
    enabled: dbBool,
    description: z.string().nullable(),
    secret_sealed: z.string(),
    previous_secret_sealed: z.string().nullable(),
    previous_secret_expires_at: dbDateOrNull,
    failing_since: dbDateOrNull,
    created_at: dbDate,
    updated_at: dbDate,
  })
  .transform((r) => ({
    id: r.id,
    tenantId: r.tenant_id,
    url: r.url,
    eventTypes: r.event_types,
    enabled: r.enabled,
    description: r.description,
    secretSealed: r.secret_sealed,
    previousSecretSealed: r.previous_secret_sealed,
    previousSecretExpiresAt: r.previous_secret_expires_at,
    failingSince: r.failing_since,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));

/** A tenant's webhook endpoint; its secrets are sealed with the master key. */
export type WebhookRow = z.output<typeof webhookSchema>;

/** What an operator sets on a webhook. */
export interface WebhookSettings {
  url: string;
  eventTypes: string[];
  enabled: boolean;
  description: string | null;
}

/** What {@link WebhookRepository.create} needs. */
export interface NewWebhook extends WebhookSettings {
  id: string;
  tenantId: string;
  secretSealed: string;
}

/** The signing secrets after a rotation: the previous one signs too until it expires. */
export interface WebhookSecrets {
  secretSealed: string;
  previousSecretSealed: string | null;
  previousSecretExpiresAt: Date | null;
}

function settingsColumns(settings: Partial<WebhookSettings>): Record<string, unknown> {
  const columns: Record<string, unknown> = {
    url: settings.url,
    event_types: settings.eventTypes && toJson(settings.eventTypes),
    enabled: settings.enabled,
    description: settings.description,
  };
  return Object.fromEntries(Object.entries(columns).filter(([, value]) => value !== undefined));
}

/** Webhooks, always addressed within their tenant (except by the delivery worker, by id). */
export interface WebhookRepository {
  create(webhook: NewWebhook): Promise<WebhookRow>;
  find(tenantId: string, id: string): Promise<WebhookRow | undefined>;
  /** For the delivery worker, which holds only a delivery's webhook id. */
  findById(id: string): Promise<WebhookRow | undefined>;
  listByTenant(tenantId: string, request: PageRequest): Promise<Page<WebhookRow>>;
  /** The tenant's enabled webhooks (bounded by the per-tenant limit), for the dispatcher. */
  listEnabled(tenantId: string): Promise<WebhookRow[]>;
  countByTenant(tenantId: string): Promise<number>;
  update(
    tenantId: string,
    id: string,
    patch: Partial<WebhookSettings>,
  ): Promise<WebhookRow | undefined>;
  setSecrets(
    tenantId: string,
    id: string,
    secrets: WebhookSecrets,
  ): Promise<WebhookRow | undefined>;
  delete(tenantId: string, id: string): Promise<boolean>;
  /** Sets `failing_since` unless already set; true when this call set it. */
  markFailing(id: string, at: Date): Promise<boolean>;
  /** Clears `failing_since` (a delivery succeeded); true when it was set. */
  clearFailing(id: string): Promise<boolean>;
}

/** Builds the webhook repository over a knex handle or transaction. */
export function createWebhookRepository(
  db: Knex | Knex.Transaction,
  cursors: CursorCodec,
): WebhookRepository {
  const parse = (row: unknown): WebhookRow => webhookSchema.parse(row);
  const find = async (tenantId: string, id: string): Promise<WebhookRow | undefined> => {
    const row: unknown = await db('webhooks').where({ tenant_id: tenantId, id }).first();
    return row === undefined ? undefined : parse(row);
  };

  return {
    async create(webhook) {
      const now = new Date();
      const raw = {
        id: webhook.id,
        tenant_id: webhook.tenantId,
        ...settingsColumns(webhook),
        description: webhook.description,
        secret_sealed: webhook.secretSealed,
        previous_secret_sealed: null,
        previous_secret_expires_at: null,
        failing_since: null,
        created_at: now,
        updated_at: now,
      };
      try {
        await db('webhooks').insert(raw);
      } catch (err) {
        throw mapDbError(err);
      }
      return parse(raw);
    },
    find,
    async findById(id) {
      const row: unknown = await db('webhooks').where({ id }).first();
      return row === undefined ? undefined : parse(row);
    },
    listByTenant(tenantId, request) {
      return keysetPage(db('webhooks').select('*').where({ tenant_id: tenantId }), request, parse, {
        cursors,
      });
    },
    async listEnabled(tenantId) {
      const rows = (await db('webhooks')
        .where({ tenant_id: tenantId, enabled: true })
        .orderBy([{ column: 'created_at' }, { column: 'id' }])) as unknown[];
      return rows.map(parse);
    },
    async countByTenant(tenantId) {
      const row: unknown = await db('webhooks')
        .where({ tenant_id: tenantId })
        .count({ n: '*' })
        .first();
      return countRow.parse(row).n;
    },
    async update(tenantId, id, patch) {
      const columns = settingsColumns(patch);
      if (Object.keys(columns).length > 0) {
        await db('webhooks')
          .where({ tenant_id: tenantId, id })
          .update({ ...columns, updated_at: new Date() });
      }
      return find(tenantId, id);
    },
    async setSecrets(tenantId, id, secrets) {
      await db('webhooks').where({ tenant_id: tenantId, id }).update({
        secret_sealed: secrets.secretSealed,
        previous_secret_sealed: secrets.previousSecretSealed,
        previous_secret_expires_at: secrets.previousSecretExpiresAt,
        updated_at: new Date(),
      });
      return find(tenantId, id);
    },
    async delete(tenantId, id) {
      return (await db('webhooks').where({ tenant_id: tenantId, id }).delete()) > 0;
    },
    async markFailing(id, at) {
      return (
        (await db('webhooks')
          .where({ id })
          .whereNull('failing_since')
          .update({ failing_since: at })) > 0
      );
    },
    async clearFailing(id) {
      return (
        (await db('webhooks')
          .where({ id })
          .whereNotNull('failing_since')
          .update({ failing_since: null })) > 0
      );
    },
  };
}
