import type { OutboxMailRow, TenantDb } from '@hellojohn/dal';
import type { Logger } from '@hellojohn/http';
import type { TenantContext } from '../tenancy/tenant-context';
import { isPermanentFailure, nextAttemptAt } from './back-off';
import { linksIn, type DevMailbox } from './dev-mailbox';
import { mailBrandingOf } from './mail-branding';
import { mailFromOf } from './mail-from';
import type { MailMetrics, MailTransportName } from './mail-metrics';
import { openMailVariables, sealMailVariables } from './mail-payload';
import { renderMail, type TemplateOverrideFailure } from './render-mail';
import type { SmtpTransports } from './smtp-transport';
import { isMailKind, MAIL_KINDS, type MailKind, type MailVariables } from './templates';

/** A mail to send: its kind, the address, the reader's language and the kind's variables. */
export interface MailRequest<K extends MailKind = MailKind> {
  kind: K;
  to: string;
  /** BCP 47 (`es`, `es-AR`); languages without templates fall back to English. */
  locale: string;
  variables: MailVariables<K>;
}

/** What one drain of one tenant did. */
export interface DrainReport {
  sent: number;
  failed: number;
  dead: number;
  /**
   * Mails left pending untried because no server is configured (production without
   * `HJ_SMTP_URL` nor the tenant's `mail.smtp_url`).
   */
  held: number;
}

export interface MailRelay {
  /**
   * Queues a mail in the tenant's outbox through `db` (the caller's transaction, when it has
   * one: the mail then exists iff the transaction commits) and schedules a drain of the tenant
   * after the current tick. Never waits on SMTP. Throws on variables the kind does not take.
   */
  // Function-valued properties (not methods): callers pass them around unbound.
  sendMail: <K extends MailKind>(
    db: TenantDb,
    tenant: TenantContext,
    mail: MailRequest<K>,
  ) => Promise<{ id: string }>;
  /** Delivers every due mail of the tenant now (tests; the sweep). */
  drainNow: (tenant: TenantContext) => Promise<DrainReport>;
  /** Tenants that had mail waiting when last drained (or queued since): what the sweep visits. */
  waitingTenants(): string[];
  /** Drops a tenant from the waiting set (deleted or no longer active). */
  forget(tenantId: string): void;
  /** Stops scheduled drains and waits for running ones. */
  close(): Promise<void>;
}

/** Mails claimed per round trip, and how long a claim keeps other replicas off them. */
const BATCH = 20;
const LEASE_MS = 5 * 60_000;
/** A caller's transaction may commit after the first drain looked: look again once, shortly. */
const FOLLOW_UP_MS = 1_000;

/** A failure no retry will fix (unknown kind, payload that does not open): dead at once. */
class PermanentMailError extends Error {}

/**
 * The mail relay (docs/mail.md): a per-tenant outbox drained in process, right after a mail is
 * queued and by the sweep. Rows are claimed with a lease (`claimDue`), so replicas draining the
 * same tenant never send one mail twice; a replica dying mid-send leaves the row to be claimed
 * again when the lease ends (at-least-once, as SMTP itself is).
 */
export function createMailRelay(deps: {
  masterKey: Buffer;
  /** HJ_SMTP_URL; tenants may override it (settings `mail.smtp_url`). */
  smtpUrl: string | undefined;
  /** HJ_MAIL_FROM. */
  mailFrom: string;
  /** Without any SMTP URL: the development mailbox outside production; in production, wait. */
  production: boolean;
  smtp: SmtpTransports;
  devMailbox: DevMailbox;
  metrics: MailMetrics;
  logger: Logger;
  now?: () => Date;
}): MailRelay {
  const now = deps.now ?? (() => new Date());
  const log = deps.logger.child({ component: 'mail' });
  const waiting = new Set<string>();
  const running = new Map<string, Promise<DrainReport>>();
  const again = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;

  function transportOf(tenant: TenantContext): { name: MailTransportName; url?: string } {
    if (tenant.policy.mailSmtpUrl) return { name: 'tenant_smtp', url: tenant.policy.mailSmtpUrl };
    if (deps.smtpUrl) return { name: 'smtp', url: deps.smtpUrl };
    return { name: deps.production ? 'none' : 'dev_mailbox' };
  }

  async function deliver(tenant: TenantContext, row: OutboxMailRow): Promise<MailTransportName> {
    if (!isMailKind(row.kind)) throw new PermanentMailError(`unknown mail kind "${row.kind}"`);
    let variables: Record<string, unknown>;
    try {
      const opened = openMailVariables(deps.masterKey, tenant.config.id, row.payload);
      variables = MAIL_KINDS[row.kind].variables.parse(opened);
    } catch (error) {
      throw new PermanentMailError(`payload does not open: ${messageOf(error)}`);
    }
    const branding = mailBrandingOf(tenant.config);
    const fallbacks: TemplateOverrideFailure[] = [];
    const rendered = renderMail(
      row.kind,
      row.locale,
      variables,
      branding,
      tenant.policy.mailTemplates,
      (failure) => fallbacks.push(failure),
    );
    for (const failure of fallbacks) {
      log.warn(
        { tenant: tenant.config.slug, mail: row.id, kind: row.kind, ...failure },
        'tenant mail template failed; the built-in one was used',
      );
      await auditMail(tenant.db, 'mail.template_fallback', row, { ...failure });
    }
    const from = mailFromOf(tenant.policy.mailFrom ?? deps.mailFrom, branding.tenantName);
    const transport = transportOf(tenant);
    if (transport.url) {
      const mail = { ...rendered, from, to: row.toAddress, messageId: row.id };
      await deps.smtp.send(transport.url, mail);
    } else if (transport.name === 'dev_mailbox') {
      await deps.devMailbox.keep({
        id: row.id,
        tenantId: tenant.config.id,
        tenantSlug: tenant.config.slug,
        kind: row.kind,
        from: `${from.name} <${from.address}>`,
        to: row.toAddress,
        ...rendered,
        receivedAt: now().toISOString(),
      });
      log.info(
        {
          tenant: tenant.config.slug,
          kind: row.kind,
          to: row.toAddress,
          links: linksIn(rendered.text),
        },
        `dev mailbox: "${rendered.subject}" (not sent; npm run mailbox or GET /dev/mailbox)`,
      );
    } else {
      throw new Error(
        'no SMTP server is configured (HJ_SMTP_URL or the tenant setting mail.smtp_url)',
      );
    }
    return transport.name;
  }

  async function attempt(tenant: TenantContext, row: OutboxMailRow, report: DrainReport) {
    const db = tenant.db;
    try {
      const transport = await deliver(tenant, row);
      await db.mailOutbox.markSent(row.id, now());
      report.sent += 1;
      deps.metrics.sent(row.kind, transport);
      await auditMail(db, 'mail.sent', row, { transport });
    } catch (error) {
      const transport = transportOf(tenant).name;
      const attempts = row.attempts + 1;
      const permanent = error instanceof PermanentMailError || isPermanentFailure(error);
      const next = permanent ? null : nextAttemptAt(attempts, row.createdAt, now());
      const reason = messageOf(error).slice(0, 1000);
      await db.mailOutbox.markFailed(row.id, reason, next);
      const context = {
        tenant: tenant.config.slug,
        mail: row.id,
        kind: row.kind,
        attempts,
        err: reason,
      };
      if (next === null) {
        report.dead += 1;
        deps.metrics.dead(row.kind, transport);
        log.error(context, 'mail dead: given up on');
        await auditMail(db, 'mail.dead', row, { attempts, error: reason });
      } else {
        report.failed += 1;
        deps.metrics.failed(row.kind, transport);
        log.warn(
          { ...context, next_attempt_at: next.toISOString() },
          'mail delivery failed; will retry',
        );
        await auditMail(db, 'mail.failed', row, {
          attempts,
          error: reason,
          next_attempt_at: next.toISOString(),
        });
      }
    }
  }

  async function drainTenant(tenant: TenantContext): Promise<DrainReport> {
    const id = tenant.config.id;
    const report: DrainReport = { sent: 0, failed: 0, dead: 0, held: 0 };
    if (transportOf(tenant).name === 'none') {
      // Nothing is attempted, so nothing backs off towards dead: the mail waits, whole, for a
      // server (docs/mail.md, "Production without SMTP"); the sweep reports it.
      report.held = await tenant.db.mailOutbox.countPending();
      if (report.held === 0) waiting.delete(id);
      else waiting.add(id);
      return report;
    }
    do {
      again.delete(id);
      for (;;) {
        const rows = await tenant.db.mailOutbox.claimDue(now(), BATCH, LEASE_MS);
        for (const row of rows) await attempt(tenant, row, report);
        if (rows.length < BATCH || closed) break;
      }
    } while (again.has(id) && !closed);
    if ((await tenant.db.mailOutbox.countPending()) === 0) waiting.delete(id);
    else waiting.add(id);
    return report;
  }

  function drainNow(tenant: TenantContext): Promise<DrainReport> {
    const id = tenant.config.id;
    const current = running.get(id);
    if (current) {
      // The running drain loops once more, so what was queued meanwhile is not left behind.
      again.add(id);
      return current;
    }
    const drain = drainTenant(tenant).finally(() => running.delete(id));
    running.set(id, drain);
    return drain;
  }

  function schedule(tenant: TenantContext, delayMs: number, followUp: boolean): void {
    if (closed) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      drainNow(tenant)
        .then((report) => {
          const idle = report.sent + report.failed + report.dead + report.held === 0;
          if (idle && followUp) schedule(tenant, FOLLOW_UP_MS, false);
        })
        .catch((error: unknown) => {
          log.warn(
            { tenant: tenant.config.slug, err: messageOf(error) },
            'mail drain failed; the sweep retries',
          );
        });
    }, delayMs);
    timer.unref();
    timers.add(timer);
  }

  return {
    async sendMail(db, tenant, mail) {
      const kind = MAIL_KINDS[mail.kind];
      const variables = kind.variables.parse(mail.variables) as Record<string, unknown>;
      const row = await db.mailOutbox.enqueue({
        kind: mail.kind,
        toAddress: mail.to,
        locale: mail.locale.slice(0, 16),
        payload: sealMailVariables(deps.masterKey, tenant.config.id, variables),
      });
      waiting.add(tenant.config.id);
      schedule(tenant, 0, true);
      return { id: row.id };
    },
    drainNow,
    waitingTenants: () => [...waiting],
    forget(tenantId) {
      waiting.delete(tenantId);
    },
    async close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.allSettled([...running.values()]);
    },
  };
}

/** Audit rows of the relay: actor `system`, target the outbox id; never the link or the code. */
async function auditMail(
  db: TenantDb,
  action: 'mail.sent' | 'mail.failed' | 'mail.dead' | 'mail.template_fallback',
  row: OutboxMailRow,
  details: Record<string, unknown>,
): Promise<void> {
  await db.auditLog.insert({
    actor: 'system',
    action,
    target: row.id,
    outcome: action === 'mail.sent' ? 'success' : 'failure',
    details: { kind: row.kind, ...details },
    userId: null,
    ip: null,
    requestId: null,
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
