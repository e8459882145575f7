import type { Config } from '@hellojohn/config';
import { createGlobalDb, createKnex, migrateControlPlane, type GlobalDb } from '@hellojohn/dal';
import {
  createEventBus,
  createOutboxRelay,
  type EventBus,
  type OutboxRelay,
  type Subscription,
} from '@hellojohn/events';
import type { Logger } from '@hellojohn/http';
import { createPasswordHasher } from '@hellojohn/tokens';
import { consumeTenantStatus } from './consumers/tenant-status.consumer';
import { createAdminService, type AdminService } from './services/admin.service';
import { createAdminTokens, type AdminTokens } from './services/admin-tokens';

import { createClientService, type ClientService } from './services/client.service';
import { createTenantService, type TenantService } from './services/tenant.service';

/** Sent outbox rows are kept a week for forensics, then purged hourly. */
const OUTBOX_RETENTION_MS = 7 * 24 * 3600 * 1000;
const OUTBOX_PURGE_INTERVAL_MS = 3600 * 1000;

export interface Services {
  admins: AdminService;
  adminTokens: AdminTokens;
  tenants: TenantService;
  clients: ClientService;
}

export interface Deps {
  config: Config;
  logger: Logger;
  db: GlobalDb;
  bus: EventBus;
  relay: OutboxRelay;
  services: Services;
  close(): Promise<void>;
}

/**
 * The composition root: DAL -> services -> consumers, wired by hand. `bus` may be passed in so
 * both planes share one in-process bus in the embedded default.
 */
export async function createDeps(
  config: Config,
  logger: Logger,
  options: { bus?: EventBus } = {},
): Promise<Deps> {
  const knex = createKnex(config.cpDatabaseUrl);
  if (config.autoMigrate) {
    const applied = await migrateControlPlane(knex);
    if (applied.length > 0) logger.info({ applied }, 'control-plane migrations applied');
  }
  const db = createGlobalDb(knex);
  const ownsBus = options.bus === undefined;
  const bus =
    options.bus ??
    createEventBus({ url: config.rabbitmqUrl, logger, connectionName: 'control-plane' });

  const adminTokens = await createAdminTokens({
    db,
    masterKey: config.masterKey,
    issuer: config.cpUrl,
    ttlSeconds: config.accessTokenTtlSeconds,
  });
  const admins = createAdminService({
    db,
    hasher: createPasswordHasher(config.bcryptCost),
    tokens: adminTokens,
  });
  const relay = createOutboxRelay({ store: db.outbox, bus, logger });
  const tenants = createTenantService({
    db,
    masterKey: config.masterKey,
    publicUrl: config.publicUrl,
    onOutboxWrite: () => {
      relay.kick();
    },
  });
  const clients = createClientService({
    db,
    onOutboxWrite: () => {
      relay.kick();
    },
  });
  const subscriptions: Subscription[] = [
    await consumeTenantStatus({
      bus,
      tenants,
      logger,
      maxAttempts: config.provisioningMaxAttempts,
    }),
  ];
  relay.start();
  const purge = setInterval(() => {
    db.outbox
      .purgeSent(new Date(Date.now() - OUTBOX_RETENTION_MS))
      .then((purged) => {
        if (purged > 0) logger.info({ purged }, 'sent outbox rows purged');
      })
      .catch((error: unknown) => {
        logger.warn({ err: error }, 'outbox purge failed; will retry');
      });
  }, OUTBOX_PURGE_INTERVAL_MS);
  purge.unref();

  return {
    config,
    logger,
    db,
    bus,
    relay,
    services: { admins, adminTokens, tenants, clients },
    async close() {
      clearInterval(purge);
      await relay.stop();
      for (const subscription of subscriptions) await subscription.close();
      if (ownsBus) await bus.close();
      await db.destroy();
    },
  };
}
