import type { GlobalDb, WebhookDeliveryRow } from '@hellojohn/dal';
import type { Logger } from '@hellojohn/http';
import { sendWebhook, type SendRequest, type SendResult } from './send-webhook';
import { signingSecrets } from './webhook-secrets';
import { signWebhook } from './webhook-signature';

/** Attempts in flight for one webhook: a slow endpoint holds at most this many connections. */
const PER_WEBHOOK_CONCURRENCY = 4;
/** Attempts in flight in one process. */
const GLOBAL_CONCURRENCY = 32;
/** Longer than an attempt can last, so a lease only runs out when its worker died. */
const LEASE_MS = 60_000;
const POLL_INTERVAL_MS = 1_000;
const BATCH = 100;
/** Each retry waits its scheduled delay plus up to this fraction more, so retries spread out. */
const JITTER = 0.2;
/** Finished deliveries stay in the log this long (30 days), purged hourly. */
const LOG_RETENTION_MS = 30 * 24 * 3600 * 1000;
const PURGE_INTERVAL_MS = 3600 * 1000;

export interface DeliveryWorkerOptions {
  db: GlobalDb;
  masterKey: Buffer;
  logger: Logger;
  /** Seconds before each retry (`HJ_WEBHOOK_RETRY_SCHEDULE`). */
  retrySchedule: readonly number[];
  allowPrivate: boolean;
  /** How an attempt is sent; the HTTP sender by default. */
  send?: (request: SendRequest) => Promise<SendResult>;
}

/** Sends due webhook deliveries; several replicas may run one each. */
export interface DeliveryWorker {
  start(): void;
  /** Looks for due deliveries now (new deliveries, a manual retry). */
  kick(): void;
  /** Stops polling and waits for attempts in flight. */
  stop(): Promise<void>;
}

/**
 * The delivery worker: polls the delivery log for due rows, claims each with a lease (one replica
 * wins), signs and sends it, and records the outcome. A failure is retried after the next delay
 * of the schedule, with jitter; after the last one the delivery is `failed`, the webhook is marked
 * failing and an audit entry tells the tenant's operators. A success clears the failing mark.
 *
 * @example
 * const worker = createDeliveryWorker({ db, masterKey, logger, retrySchedule, allowPrivate });
 * worker.start();
 */
export function createDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const { db, logger } = options;
  const send = options.send ?? sendWebhook;
  const inFlight = new Map<string, number>();
  const running = new Set<Promise<void>>();
  let total = 0;
  let started = false;
  let ticking = false;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let wakeAt = Infinity;
  let purge: NodeJS.Timeout | undefined;

  function schedule(delayMs: number): void {
    if (!started) return;
    const at = Date.now() + delayMs;
    if (timer !== undefined && at >= wakeAt) return;
    clearTimeout(timer);
    wakeAt = at;
    timer = setTimeout(
      () => {
        timer = undefined;
        wakeAt = Infinity;
        void tick();
      },
      Math.max(0, delayMs),
    );
    timer.unref();
  }

  async function attempt(delivery: WebhookDeliveryRow): Promise<void> {
    const attempts = delivery.attempts + 1;
    const webhook = await db.webhooks.findById(delivery.webhookId);
    const attemptedAt = new Date();
    let result: SendResult;
    if (webhook === undefined) return;
    if (!webhook.enabled) {
      result = { status: null, durationMs: 0, error: 'the webhook is disabled' };
    } else {
      const timestamp = Math.floor(attemptedAt.getTime() / 1000);
      result = await send({
        url: webhook.url,
        body: delivery.body,
        allowPrivate: options.allowPrivate,
        headers: {
          'webhook-id': delivery.id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signWebhook(
            signingSecrets(options.masterKey, webhook, attemptedAt),
            delivery.id,
            timestamp,
            delivery.body,
          ),
        },
      });
    }
    const common = {
      attempts,
      attemptedAt,
      responseStatus: result.status,
      durationMs: result.durationMs,
      error: result.error,
    };
    if (result.error === null) {
      await db.webhookDeliveries.finish(delivery.id, {
        ...common,
        status: 'delivered',
        nextAttemptAt: null,
      });
      await db.webhooks.clearFailing(webhook.id);
      return;
    }
    const delaySeconds = options.retrySchedule[attempts - 1];
    if (delaySeconds !== undefined && webhook.enabled) {
      const delayMs = delaySeconds * 1000 * (1 + Math.random() * JITTER);
      await db.webhookDeliveries.finish(delivery.id, {
        ...common,
        status: 'pending',
        nextAttemptAt: new Date(attemptedAt.getTime() + delayMs),
      });
      // Timers may fire a millisecond early; waking before the row is due would cost a full poll.
      schedule(delayMs + 10);
      return;
    }
    await db.webhookDeliveries.finish(delivery.id, {
      ...common,
      status: 'failed',
      nextAttemptAt: null,
    });
    if (!webhook.enabled) return;
    if (await db.webhooks.markFailing(webhook.id, attemptedAt)) {
      await db.auditLog.insert({
        actor: 'system',
        action: 'webhook.failing',
        target: webhook.id,
        outcome: 'failure',
        details: {
          tenant_id: webhook.tenantId,
          delivery_id: delivery.id,
          event_type: delivery.eventType,
          attempts,
          error: result.error,
        },
      });
    }
    logger.warn(
      { webhookId: webhook.id, deliveryId: delivery.id, attempts, error: result.error },
      'webhook delivery failed for good',
    );
  }

  function launch(delivery: WebhookDeliveryRow): void {
    total += 1;
    inFlight.set(delivery.webhookId, (inFlight.get(delivery.webhookId) ?? 0) + 1);
    const run = attempt(delivery)
      .catch((error: unknown) => {
        // The lease runs out and another tick retries the attempt.
        logger.error({ err: error, deliveryId: delivery.id }, 'webhook attempt crashed');
      })
      .finally(() => {
        total -= 1;
        const left = (inFlight.get(delivery.webhookId) ?? 1) - 1;
        if (left === 0) inFlight.delete(delivery.webhookId);
        else inFlight.set(delivery.webhookId, left);
        running.delete(run);
        kick();
      });
    running.add(run);
  }

  async function fill(): Promise<void> {
    const now = new Date();
    const saturated = [...inFlight].flatMap(([id, count]) =>
      count >= PER_WEBHOOK_CONCURRENCY ? [id] : [],
    );
    const due = await db.webhookDeliveries.listDue(now, BATCH, saturated);
    for (const candidate of due) {
      if (!started || total >= GLOBAL_CONCURRENCY) return;
      if ((inFlight.get(candidate.webhookId) ?? 0) >= PER_WEBHOOK_CONCURRENCY) continue;
      const claimed = await db.webhookDeliveries.claim(
        candidate.id,
        now,
        new Date(now.getTime() + LEASE_MS),
      );
      if (claimed) launch(claimed);
    }
  }

  // A function, not an inline test: `fill` sets `again` through `kick`, out of the compiler's sight.
  const shouldRerun = (): boolean => again && started;

  async function tick(): Promise<void> {
    if (!started) return;
    if (ticking) {
      again = true;
      return;
    }
    ticking = true;
    try {
      do {
        again = false;
        await fill();
      } while (shouldRerun());
    } catch (error) {
      logger.warn({ err: error }, 'webhook delivery poll failed; will retry');
    } finally {
      ticking = false;
      schedule(POLL_INTERVAL_MS);
    }
  }

  function kick(): void {
    if (started) void tick();
  }

  return {
    start() {
      if (started) return;
      started = true;
      kick();
      purge = setInterval(() => {
        db.webhookDeliveries
          .purgeFinished(new Date(Date.now() - LOG_RETENTION_MS))
          .catch((error: unknown) => {
            logger.warn({ err: error }, 'webhook delivery log purge failed; will retry');
          });
      }, PURGE_INTERVAL_MS);
      purge.unref();
    },
    kick,
    async stop() {
      started = false;
      clearInterval(purge);
      clearTimeout(timer);
      timer = undefined;
      wakeAt = Infinity;
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}
