import { createLimiterStore, type LimiterStore } from '@hellojohn/abuse';
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
import type { RequestHandler } from 'express';
import { limitAdminSignIn } from './abuse/limit-admin-sign-in';
import { createAdminsModule, type AdminsModule } from './features/admins';
import { createAuditLogModule, type AuditLogModule } from './features/audit-log';
import { createAuthModule, type AuthModule } from './features/auth';
import { createClientsModule, type ClientsModule } from './features/clients';
import { createInternalApiModule, type InternalApiModule } from './features/internal-api';
import { createTenantsModule, type TenantsModule } from './features/tenants';

/** Sent outbox rows are kept a week for forensics, then purged hourly. */
const OUTBOX_RETENTION_MS = 7 * 24 * 3600 * 1000;
const OUTBOX_PURGE_INTERVAL_MS = 3600 * 1000;

/** The feature modules, each built through its `index.ts`; `routes/index.ts` mounts their routes. */
export interface Modules {
  auth: AuthModule;
  admins: AdminsModule;
  tenants: TenantsModule;
  clients: ClientsModule;
  auditLog: AuditLogModule;
  internalApi: InternalApiModule;
}

export interface Deps {
  config: Config;
  logger: Logger;
  db: GlobalDb;
  bus: EventBus;
  relay: OutboxRelay;
  /** Admin sign-in rate limits, counted in `store` (Redis with `HJ_REDIS_URL`, else memory). */
  limits: { store: LimiterStore; adminSignIn: RequestHandler };
  modules: Modules;
  close(): Promise<void>;
}

/**
 * The composition root: database, repositories, bus, outbox relay and rate-limit store, then the
 * feature modules and their consumers, wired by hand. `bus` may be passed in so both planes share
 * one in-process bus in the embedded default; `limitKeyPrefix` (default `hj`) namespaces the
 * rate-limit keys (tests use a random one).
 */
export async function createDeps(
  config: Config,
  logger: Logger,
  options: { bus?: EventBus; limitKeyPrefix?: string } = {},
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
  const relay = createOutboxRelay({ store: db.outbox, bus, logger });
  const onOutboxWrite = (): void => {
    relay.kick();
  };
  const hasher = createPasswordHasher(config.bcryptCost);

  const auth = await createAuthModule({
    db,
    hasher,
    masterKey: config.masterKey,
    issuer: config.cpUrl,
    ttlSeconds: config.accessTokenTtlSeconds,
  });
  const admins = createAdminsModule({ db, hasher });
  const tenants = createTenantsModule({
    db,
    masterKey: config.masterKey,
    publicUrl: config.publicUrl,
    onOutboxWrite,
  });
  const clients = createClientsModule({ db, onOutboxWrite });
  const auditLog = createAuditLogModule({ auditLog: db.auditLog });
  const internalApi = createInternalApiModule({
    tenants: tenants.service,
    clients: clients.service,
  });

  const subscriptions: Subscription[] = [
    await tenants.consumeStatus({ bus, logger, maxAttempts: config.provisioningMaxAttempts }),
  ];
  // Made last, so a failed start-up above leaves no Redis connection behind.
  const limiterStore = createLimiterStore({
    redisUrl: config.redisUrl,
    logger,
    connectionName: 'hellojohn-control-plane-limits',
  });
  const limits = {
    store: limiterStore,
    adminSignIn: limitAdminSignIn(limiterStore, { keyPrefix: options.limitKeyPrefix }),
  };
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
    limits,
    modules: { auth, admins, tenants, clients, auditLog, internalApi },
    async close() {
      clearInterval(purge);
      await relay.stop();
      for (const subscription of subscriptions) await subscription.close();
      if (ownsBus) await bus.close();
      await limiterStore.close();
      await db.destroy();
    },
  };
}
