import { join } from 'node:path';
import type { Config } from '@hellojohn/config';
import type { TenantPools } from '@hellojohn/dal';
import type { Logger, Metrics } from '@hellojohn/http';
import type { Router } from 'express';
import type { ControlPlaneClient } from '../tenancy/control-plane-client';
import type { TenantDirectory } from '../tenancy/tenant-directory';
import { createDevMailbox, type DevMailbox } from './dev-mailbox';
import { devMailboxRouter } from './dev-mailbox.routes';
import { createMailMetrics } from './mail-metrics';
import { createMailRelay, type MailRelay } from './mail-relay';
import { createMailSweep, type MailSweep } from './mail-sweep';
import { createSmtpTransports } from './smtp-transport';

/** The data plane's mail layer (docs/mail.md): what features and the composition root use. */
export interface MailModule {
  /** Queues a mail (in the caller's transaction when given its db) and drains soon after. */
  sendMail: MailRelay['sendMail'];
  /** Delivers the tenant's due mail now. */
  drainNow: MailRelay['drainNow'];
  /** One sweep pass over the tenants with mail waiting (tests; the timer runs it). */
  sweepOnce: MailSweep['runOnce'];
  /** Prunes one tenant's old mail and spent tokens now (tests; the timer runs it hourly). */
  prune: MailSweep['prune'];
  /** The development mailbox (where mails go without an SMTP server, outside production). */
  devMailbox: DevMailbox;
  /** `GET /dev/mailbox`; undefined in production (the app then mounts nothing). */
  devMailboxRouter: Router | undefined;
  /** Starts the sweep (every active tenant once, then the waiting ones every 30 s). */
  start(): void;
  /** Stops the sweep and scheduled drains, waits for running ones, closes SMTP transports. */
  stop(): Promise<void>;
}

export function createMailModule(deps: {
  config: Pick<
    Config,
    'masterKey' | 'smtpUrl' | 'mailFrom' | 'nodeEnv' | 'dataDir' | 'mailSentRetentionDays'
  >;
  logger: Logger;
  client: ControlPlaneClient;
  directory: TenantDirectory;
  pools: TenantPools;
  defaults: { accessTokenTtlSeconds: number; bcryptCost: number };
  /** The `/metrics` registry for the mail counters. */
  registry?: Metrics['registry'];
  /** A clock (tests move it past back-off delays). */
  now?: () => Date;
  sweepIntervalMs?: number;
}): MailModule {
  const { config } = deps;
  const production = config.nodeEnv === 'production';
  const smtp = createSmtpTransports();
  const devMailbox = createDevMailbox(join(config.dataDir, 'mailbox'));
  const metrics = createMailMetrics(deps.registry);
  const transportMissing = production && !config.smtpUrl;
  metrics.transportMissing(transportMissing);
  const relay = createMailRelay({
    masterKey: config.masterKey,
    smtpUrl: config.smtpUrl,
    mailFrom: config.mailFrom,
    production,
    smtp,
    devMailbox,
    metrics,
    logger: deps.logger,
    now: deps.now,
  });
  const sweep = createMailSweep({
    relay,
    client: deps.client,
    directory: deps.directory,
    pools: deps.pools,
    defaults: deps.defaults,
    logger: deps.logger,
    metrics,
    sentRetentionDays: config.mailSentRetentionDays,
    transportMissing,
    intervalMs: deps.sweepIntervalMs,
  });
  if (transportMissing) {
    // An error, not a warning: no mail reaches anyone until it is fixed (nothing is lost).
    deps.logger.error(
      { component: 'mail' },
      'HJ_SMTP_URL is unset in production: mail is held in the outbox until an SMTP server is configured (tenants with mail.smtp_url are sent)',
    );
  }
  return {
    sendMail: relay.sendMail,
    drainNow: relay.drainNow,
    sweepOnce: () => sweep.runOnce(),
    prune: (tenant, now) => sweep.prune(tenant, now),
    devMailbox,
    devMailboxRouter: production ? undefined : devMailboxRouter(devMailbox),
    start() {
      sweep.start();
    },
    async stop() {
      await sweep.stop();
      await relay.close();
      smtp.close();
    },
  };
}

export type { MailRelay } from './mail-relay';
export { createDevMailbox } from './dev-mailbox';
export type { DevMailbox } from './dev-mailbox';
