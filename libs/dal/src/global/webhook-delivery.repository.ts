import type { Knex } from 'knex';
import { z } from 'zod';
import { mapDbError } from '../db-errors';
import { dbDate, dbDateOrNull, dbInt } from '../internal/columns';
import type { CursorCodec, Page, PageRequest } from '../internal/keyset';
import { keysetPage } from '../internal/keyset';

/** Where a delivery stands: waiting for an attempt, in one, done, or given up on. */
export const webhookDeliveryStatuses = ['pending', 'delivering', 'delivered', 'failed'] as const;

/** One of {@link webhookDeliveryStatuses}. */
export type WebhookDeliveryStatus = (typeof webhookDeliveryStatuses)[number];

const nullableInt = z.union([z.null(), dbInt]);

const deliverySchema = z
  .object({
    id: z.string(),
    webhook_id: z.string(),
    tenant_id: z.string(),
    event_id: z.string(),
    event_type: z.string(),
    body: z.string(),
    status: z.enum(webhookDeliveryStatuses),
    attempts: dbInt,
    next_attempt_at: dbDateOrNull,
    last_attempt_at: dbDateOrNull,
    locked_until: dbDateOrNull,
    response_status: nullableInt,
    duration_ms: nullableInt,
    last_error: z.string().nullable(),
    created_at: dbDate,
    updated_at: dbDate,
  })
  .transform((r) => ({
    id: r.id,
    webhookId: r.webhook_id,
    tenantId: r.tenant_id,
    eventId: r.event_id,
    eventType: r.event_type,
    body: r.body,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastAttemptAt: r.last_attempt_at,
    lockedUntil: r.locked_until,
    responseStatus: r.response_status,
    durationMs: r.duration_ms,
    lastError: r.last_error,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));

/** One event to send to one webhook, with the outcome of its latest attempt. */
export type WebhookDeliveryRow = z.output<typeof deliverySchema>;

/** What {@link WebhookDeliveryRepository.addMany} writes; `body` is sent as stored. */
export interface NewWebhookDelivery {
  id: string;
  webhookId: string;
  tenantId: string;
  eventId: string;
  eventType: string;
  body: string;
}

/** The outcome of one attempt. */
export interface WebhookAttemptResult {
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  /** When to try again (`pending`), else null. */
  nextAttemptAt: Date | null;
  attemptedAt: Date;
  responseStatus: number | null;
  durationMs: number;
  error: string | null;
}

const MAX_ERROR_LENGTH = 500;

/** The delivery log: written by the dispatcher, claimed and updated by delivery workers. */
export interface WebhookDeliveryRepository {
  /** Inserts the deliveries; one that exists already (same event and webhook) is skipped. */
  addMany(deliveries: NewWebhookDelivery[]): Promise<void>;
  find(webhookId: string, id: string): Promise<WebhookDeliveryRow | undefined>;
  /** Newest first. */
  listByWebhook(webhookId: string, request: PageRequest): Promise<Page<WebhookDeliveryRow>>;
  /**
   * Up to `limit` deliveries due at `now`: pending ones whose time has come, and attempts whose
   * lease ran out (their worker died), leaving out those of `skipWebhooks` (endpoints the caller
   * has enough attempts in flight for). Candidates only: {@link claim} decides.
   */
  listDue(
    now: Date,
    limit: number,
    skipWebhooks?: readonly string[],
  ): Promise<WebhookDeliveryRow[]>;
  /**
   * Takes a due delivery for one attempt, leased until `lockedUntil`, with a conditional update,
   * so across replicas exactly one worker wins. Returns the claimed row, or undefined.
   */
  claim(id: string, now: Date, lockedUntil: Date): Promise<WebhookDeliveryRow | undefined>;
  /** Records an attempt's outcome and releases the lease. */
  finish(id: string, result: WebhookAttemptResult): Promise<void>;
  /** Makes a delivery due now (manual retry); false when an attempt is running. */
  requeue(webhookId: string, id: string, now: Date): Promise<boolean>;
  /** Deletes finished deliveries created before `olderThan`; returns how many. */
  purgeFinished(olderThan: Date): Promise<number>;
}

/** Builds the webhook delivery repository over a knex handle or transaction. */
export function createWebhookDeliveryRepository(
  db: Knex | Knex.Transaction,
  cursors: CursorCodec,
): WebhookDeliveryRepository {
  const parse = (row: unknown): WebhookDeliveryRow => deliverySchema.parse(row);
  const dueOrExpired = (query: Knex.QueryBuilder, now: Date) =>
    query.where((outer) => {
      void outer
        .where((pending) => {
          void pending.where({ status: 'pending' }).andWhere('next_attempt_at', '<=', now);
        })
        .orWhere((stale) => {
          void stale.where({ status: 'delivering' }).andWhere('locked_until', '<', now);
        });
    });

  return {
    async addMany(deliveries) {
      if (deliveries.length === 0) return;
      const now = new Date();
      try {
        await db('webhook_deliveries')
          .insert(
            deliveries.map((delivery) => ({
              id: delivery.id,
              webhook_id: delivery.webhookId,
              tenant_id: delivery.tenantId,
              event_id: delivery.eventId,
              event_type: delivery.eventType,
              body: delivery.body,
              status: 'pending',
              attempts: 0,
              next_attempt_at: now,
              created_at: now,
              updated_at: now,
            })),
          )
          .onConflict(['event_id', 'webhook_id'])
          .ignore();
      } catch (err) {
        throw mapDbError(err);
      }
    },
    async find(webhookId, id) {
      const row: unknown = await db('webhook_deliveries')
        .where({ webhook_id: webhookId, id })
        .first();
      return row === undefined ? undefined : parse(row);
    },
    listByWebhook(webhookId, request) {
      return keysetPage(
        db('webhook_deliveries').select('*').where({ webhook_id: webhookId }),
        request,
        parse,
        { cursors, order: 'desc' },
      );
    },
    async listDue(now, limit, skipWebhooks = []) {
      const query = dueOrExpired(db('webhook_deliveries').select('*'), now);
      if (skipWebhooks.length > 0) void query.whereNotIn('webhook_id', [...skipWebhooks]);
      const rows = (await query.orderBy('next_attempt_at', 'asc').limit(limit)) as unknown[];
      return rows.map(parse);
    },
    async claim(id, now, lockedUntil) {
      const claimed = await dueOrExpired(db('webhook_deliveries').where({ id }), now).update({
        status: 'delivering',
        locked_until: lockedUntil,
        updated_at: now,
      });
      if (claimed === 0) return undefined;
      const row: unknown = await db('webhook_deliveries').where({ id }).first();
      return row === undefined ? undefined : parse(row);
    },
    async finish(id, result) {
      await db('webhook_deliveries')
        .where({ id })
        .update({
          status: result.status,
          attempts: result.attempts,
          next_attempt_at: result.nextAttemptAt,
          last_attempt_at: result.attemptedAt,
          locked_until: null,
          response_status: result.responseStatus,
          duration_ms: result.durationMs,
          last_error: result.error === null ? null : result.error.slice(0, MAX_ERROR_LENGTH),
          updated_at: new Date(),
        });
    },
    async requeue(webhookId, id, now) {
      const updated = await db('webhook_deliveries')
        .where({ webhook_id: webhookId, id })
        .whereNot({ status: 'delivering' })
        .update({ status: 'pending', next_attempt_at: now, updated_at: now });
      return updated > 0;
    },
    async purgeFinished(olderThan) {
      return db('webhook_deliveries')
        .whereIn('status', ['delivered', 'failed'])
        .andWhere('created_at', '<', olderThan)
        .delete();
    },
  };
}
