import type { TenantPools } from '@hellojohn/dal';
import type { Logger } from '@hellojohn/http';
import type { ControlPlaneClient } from '../tenancy/control-plane-client';
import { policyOf, type TenantConfig } from '../tenancy/tenant-config';
import { connectionInfoOf, type TenantContext } from '../tenancy/tenant-context';
import { pruneExpiredInteractions } from '../tenancy/expired-interactions';
import type { TenantDirectory } from '../tenancy/tenant-directory';
import type { MailMetrics } from './mail-metrics';
import type { MailRelay } from './mail-relay';

/** How often the sweep drains the tenants with mail waiting (retries fall due in between). */
const SWEEP_MS = 30_000;
/** How often every active tenant's outbox and one-time tokens are pruned. */
const PRUNE_MS = 60 * 60_000;
const DAY_MS = 24 * 60 * 60_000;
/** Dead mail is kept this long for the operator to read its `last_error`. */
const DEAD_MAIL_RETENTION_DAYS = 30;
/** Rows one delete takes; a prune repeats it until less come back. */
const PRUNE_BATCH = 500;

/** What one prune of one tenant deleted. */
export interface PruneReport {
  sent: number;
  dead: number;
  tokens: number;
  /** Expired login transactions, authorization codes, MFA and WebAuthn challenges. */
  interactions: number;
}

export interface MailSweep {
  /** Drains every active tenant once (mail left by an earlier process), then every 30 s. */
  start(): void;
  /** One pass over the waiting tenants (tests, and the timer). */
  runOnce(): Promise<void>;
  /**
   * Deletes the tenant's sent mail older than the retention, dead mail older than 30 days,
   * one-time tokens expired (spent or not) and expired interactions (login transactions,
   * authorization codes, MFA and WebAuthn challenges); every active tenant hourly, and at start.
   */
  prune(tenant: TenantContext, now?: Date): Promise<PruneReport>;
  stop(): Promise<void>;
}

/**
 * The safety net under the in-process drains: mail whose drain failed, whose retry fell due, or
 * that a crashed replica left behind goes out from here. Which tenants to visit is remembered in
 * memory (the relay's waiting set); at start every active tenant is visited once, so a restart
 * loses nothing that was queued before it.
 */
export function createMailSweep(deps: {
  relay: MailRelay;
  client: ControlPlaneClient;
  directory: TenantDirectory;
  pools: TenantPools;
  defaults: { accessTokenTtlSeconds: number; bcryptCost: number };
  logger: Logger;
  metrics: MailMetrics;
  /** Days sent mail is kept (`HJ_MAIL_SENT_RETENTION_DAYS`). */
  sentRetentionDays: number;
  /** Production without `HJ_SMTP_URL`: held mail is an error to report every sweep. */
  transportMissing: boolean;
  intervalMs?: number;
  pruneIntervalMs?: number;
}): MailSweep {
  const log = deps.logger.child({ component: 'mail-sweep' });
  let timer: NodeJS.Timeout | undefined;
  let pruneTimer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  let stopped = false;

  const contextOf = (tenant: TenantConfig): TenantContext => ({
    config: tenant,
    policy: policyOf(tenant, deps.defaults),
    db: deps.pools.get(connectionInfoOf(tenant)),
  });

  /** Drains one tenant; the mails it left held for want of a server. */
  async function drain(tenant: TenantConfig): Promise<number> {
    try {
      return (await deps.relay.drainNow(contextOf(tenant))).held;
    } catch (error) {
      // One unreachable tenant database must not hold up the others' mail.
      log.warn(
        { tenant: tenant.slug, err: messageOf(error) },
        'mail drain failed; next sweep retries',
      );
      return 0;
    }
  }

  /** Once per pass: held mail is an outage the operator must see (log and `mail_held`). */
  function reportHeld(held: number, tenants: number): void {
    deps.metrics.held(held);
    if (held === 0 || !deps.transportMissing) return;
    log.error(
      { held, tenants },
      'HJ_SMTP_URL is unset in production: mail is held in the outbox, nothing is lost; set HJ_SMTP_URL (or a tenant mail.smtp_url) to deliver it',
    );
  }

  async function runOnce(): Promise<void> {
    let held = 0;
    let tenants = 0;
    for (const id of deps.relay.waitingTenants()) {
      if (stopped) return;
      const tenant = await deps.directory.resolve(id).catch(() => undefined);
      if (tenant === undefined) continue; // control plane unreachable: keep it for next time
      if (tenant.status !== 'active') {
        deps.relay.forget(id);
        continue;
      }
      const left = await drain(tenant);
      held += left;
      if (left > 0) tenants += 1;
    }
    reportHeld(held, tenants);
  }

  /** Every active tenant, page by page. */
  async function forEachActive(visit: (tenant: TenantConfig) => Promise<void>): Promise<void> {
    let cursor: string | null = null;
    do {
      const page = await deps.client.listTenants(cursor);
      for (const tenant of page.data) {
        if (stopped) return;
        if (tenant.status === 'active') await visit(tenant);
      }
      cursor = page.next_cursor;
    } while (cursor);
  }

  async function drainAllActive(): Promise<void> {
    let held = 0;
    let tenants = 0;
    await forEachActive(async (tenant) => {
      const left = await drain(tenant);
      held += left;
      if (left > 0) tenants += 1;
    });
    reportHeld(held, tenants);
  }

  /** Repeats a bounded delete until it comes back short. */
  async function deleteAll(run: () => Promise<number>): Promise<number> {
    let total = 0;
    for (;;) {
      const count = await run();
      total += count;
      if (count < PRUNE_BATCH || stopped) return total;
    }
  }

  async function prune(tenant: TenantContext, now = new Date()): Promise<PruneReport> {
    const { db } = tenant;
    const sentBefore = new Date(now.getTime() - deps.sentRetentionDays * DAY_MS);
    const deadBefore = new Date(now.getTime() - DEAD_MAIL_RETENTION_DAYS * DAY_MS);
    return {
      sent: await deleteAll(() => db.mailOutbox.deleteSentBefore(sentBefore, PRUNE_BATCH)),
      dead: await deleteAll(() => db.mailOutbox.deleteDeadBefore(deadBefore, PRUNE_BATCH)),
      // A spent token is kept until it expires: it still answers "already used" until then.
      tokens: await deleteAll(() => db.oneTimeTokens.deleteExpired(now, PRUNE_BATCH)),
      interactions: await pruneExpiredInteractions(db, now, deleteAll, PRUNE_BATCH),
    };
  }

  async function pruneAllActive(): Promise<void> {
    await forEachActive(async (tenant) => {
      try {
        const report = await prune(contextOf(tenant));
        if (report.sent + report.dead + report.tokens + report.interactions > 0) {
          log.info(
            { tenant: tenant.slug, deleted: report },
            'expired mail, tokens and interactions pruned',
          );
        }
      } catch (error) {
        log.warn({ tenant: tenant.slug, err: messageOf(error) }, 'prune failed; next one retries');
      }
    });
  }

  /** Runs `task` after the previous one: passes never overlap, and stop() waits for the last. */
  function enqueue(task: () => Promise<void>, what: string): void {
    current = current.then(task).catch((error: unknown) => {
      log.warn({ err: messageOf(error) }, `${what} failed; the next sweep retries`);
    });
  }

  return {
    start() {
      if (timer) return;
      stopped = false;
      enqueue(drainAllActive, 'start-up mail sweep');
      enqueue(pruneAllActive, 'start-up prune');
      timer = setInterval(() => {
        enqueue(runOnce, 'mail sweep');
      }, deps.intervalMs ?? SWEEP_MS);
      timer.unref();
      pruneTimer = setInterval(() => {
        enqueue(pruneAllActive, 'prune');
      }, deps.pruneIntervalMs ?? PRUNE_MS);
      pruneTimer.unref();
    },
    runOnce,
    prune,
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      if (pruneTimer) clearInterval(pruneTimer);
      timer = undefined;
      pruneTimer = undefined;
      await current;
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
