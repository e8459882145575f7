import { createLimiterStore, type BudgetRule, type LimiterStore } from '@hellojohn/abuse';
import type { Config } from '@hellojohn/config';
import { createGlobalDb, createKnex, migrateControlPlane, type GlobalDb } from '@hellojohn/dal';
import {
  createEventBus,
  createOutboxRelay,
  type EventBus,
  type OutboxRelay,
  type Subscription,
} from '@hellojohn/events';
import type { Guard, Logger } from '@hellojohn/http';
import { createPasswordHasher, deriveSubkey } from '@hellojohn/tokens';
import {
  createAdminSignInGuard,
  type AdminSignInPolicyOverrides,
} from './abuse/admin-sign-in-guard';
import { limitAdminSignIn } from './abuse/limit-admin-sign-in';
import { createAdminsModule, type AdminsModule } from './features/admins';
import { createApiKeysModule, type ApiKeysModule } from './features/api-keys';
import { createAuditLogModule, type AuditLogModule } from './features/audit-log';
import { createAuthModule, type AuthModule } from './features/auth';
import { createClientsModule, type ClientsModule } from './features/clients';
import { createResourcesModule, type ResourcesModule } from './features/resources';
import {
  createIdentityProvidersModule,
  type IdentityProvidersModule,
} from './features/identity-providers';
import { createInternalApiModule, type InternalApiModule } from './features/internal-api';
import { createTenantsModule, type TenantsModule } from './features/tenants';
import { createWebhooksModule, type WebhooksModule } from './features/webhooks';
import { createAdminMailer } from './mail';

/** Sent outbox rows are kept a week for forensics, then purged hourly. */
const OUTBOX_RETENTION_MS = 7 * 24 * 3600 * 1000;
const OUTBOX_PURGE_INTERVAL_MS = 3600 * 1000;

/** The feature modules, each built through its `index.ts`; `routes/index.ts` mounts their routes. */
export interface Modules {
  auth: AuthModule;
  admins: AdminsModule;
  apiKeys: ApiKeysModule;
  tenants: TenantsModule;
  clients: ClientsModule;
  resources: ResourcesModule;
  identityProviders: IdentityProvidersModule;
  auditLog: AuditLogModule;
  internalApi: InternalApiModule;
  webhooks: WebhooksModule;
}

export interface Deps {
  config: Config;
  logger: Logger;
  db: GlobalDb;
  bus: EventBus;
  relay: OutboxRelay;
  /**
   * Admin sign-in limits, counted in `store` (Redis with `HJ_REDIS_URL`, else memory): the
   * per-address budget `adminSignIn` (route middleware); the per-account guard is in the auth
   * module.
   */
  limits: { store: LimiterStore; adminSignIn: Guard };
  modules: Modules;
  close(): Promise<void>;
}

export interface DepsOptions {
  /** Passed in so both planes share one in-process bus in the embedded default. */
  bus?: EventBus;
  /** Namespaces the rate-limit keys (default `hj`; tests use a random one). */
  limitKeyPrefix?: string;
  /** Overrides of the admin sign-in limits (tests: a short delay cap). */
  adminSignIn?: { ip?: BudgetRule; policy?: AdminSignInPolicyOverrides };
}

/**
 * The composition root: database, repositories, bus, outbox relay and rate-limit store, then the
 * feature modules and their consumers, wired by hand.
 */
export async function createDeps(
  config: Config,
  logger: Logger,
  options: DepsOptions = {},
): Promise<Deps> {
  const knex = createKnex(config.cpDatabaseUrl);
  if (config.autoMigrate) {
    const applied = await migrateControlPlane(knex);
    if (applied.length > 0) logger.info({ applied }, 'control-plane migrations applied');
  }
  // Cursors are signed (docs/api.md, "Pagination"), with a key every replica derives alike.
  const db = createGlobalDb(knex, {
    cursorSecret: deriveSubkey(config.masterKey, 'pagination-cursor:control-plane'),
  });
  const ownsBus = options.bus === undefined;
  const bus =
    options.bus ??
    createEventBus({ url: config.rabbitmqUrl, logger, connectionName: 'control-plane' });
  const relay = createOutboxRelay({ store: db.outbox, bus, logger });
  const onOutboxWrite = (): void => {
    relay.kick();
  };
  const hasher = createPasswordHasher(config.bcryptCost);
  // Before the auth module, whose sign-in guard counts in it; closed again if start-up fails, so
  // a failed start-up leaves no Redis connection behind.
  const limiterStore = createLimiterStore({
    redisUrl: config.redisUrl,
    logger,
    connectionName: 'hellojohn-control-plane-limits',
  });
  const closingStoreOnFailure = <T>(step: Promise<T>): Promise<T> =>
    step.catch(async (error: unknown) => {
      await limiterStore.close();
      throw error;
    });

  // HJ_REDIS_KEY_PREFIX, so that two deployments (or test runs) can share one Redis.
  const limitKeyPrefix = options.limitKeyPrefix ?? config.redisKeyPrefix;
  const auth = await closingStoreOnFailure(
    createAuthModule({
      db,
      hasher,
      masterKey: config.masterKey,
      issuer: config.cpUrl,
      ttlSeconds: config.accessTokenTtlSeconds,
      onOutboxWrite,
      signInGuard: createAdminSignInGuard(limiterStore, {
        keyPrefix: limitKeyPrefix,
        policy: options.adminSignIn?.policy,
      }),
      // Second-factor codes: the same limits, on counters of their own (`<prefix>:mfa:cp:...`).
      codeGuard: createAdminSignInGuard(limiterStore, {
        keyPrefix: `${limitKeyPrefix}:mfa`,
        policy: options.adminSignIn?.policy,
      }),
    }),
  );
  // CP admin invitations; HJ_SMTP_URL / HJ_MAIL_FROM are the data plane's variables too.
  const mailer = createAdminMailer({
    smtpUrl: config.smtpUrl,
    mailFrom: config.mailFrom,
    production: config.nodeEnv === 'production',
    logger,
  });
  const admins = createAdminsModule({
    db,
    hasher,
    mailer,
    cpUrl: config.cpUrl,
    logger,
    onOutboxWrite,
  });
  const apiKeys = createApiKeysModule({ db, onOutboxWrite });
  const tenants = createTenantsModule({
    db,
    masterKey: config.masterKey,
    publicUrl: config.publicUrl,
    onOutboxWrite,
  });
  const clients = createClientsModule({ db, onOutboxWrite });
  const resources = createResourcesModule({ db, onOutboxWrite });
  const identityProviders = createIdentityProvidersModule({
    db,
    masterKey: config.masterKey,
    publicUrl: config.publicUrl,
    onOutboxWrite,
  });
  const auditLog = createAuditLogModule({ auditLog: db.auditLog });
  const internalApi = createInternalApiModule({
    tenants: tenants.service,
    clients: clients.service,
    resources: resources.service,
    apiKeys: apiKeys.service,
    db,
  });

  const webhooks = createWebhooksModule({
    db,
    masterKey: config.masterKey,
    logger,
    retrySchedule: config.webhookRetrySchedule,
    allowPrivate: config.webhookAllowPrivate,
  });

  const subscriptions: Subscription[] = [
    await closingStoreOnFailure(
      tenants.consumeStatus({ bus, logger, maxAttempts: config.provisioningMaxAttempts }),
    ),
    await closingStoreOnFailure(webhooks.consumeEvents({ bus, logger })),
  ];
  const limits = {
    store: limiterStore,
    adminSignIn: limitAdminSignIn(limiterStore, {
      keyPrefix: limitKeyPrefix,
      ip: options.adminSignIn?.ip,
    }),
  };
  relay.start();
  webhooks.worker.start();
  const purge = setInterval(() => {
    db.outbox
      .purgeSent(new Date(Date.now() - OUTBOX_RETENTION_MS))
      .then((purged) => {
        if (purged > 0) logger.info({ purged }, 'sent outbox rows purged');
      })
      .catch((error: unknown) => {
        logger.warn({ err: error }, 'outbox purge failed; will retry');
      });
    db.adminMfa.purgeChallenges(new Date()).catch((error: unknown) => {
      logger.warn({ err: error }, 'admin MFA challenge purge failed; will retry');
    });
    // An admin revocation matters only while a token issued before it could still be valid.
    db.adminSessions
      .purgeRevocations(new Date(Date.now() - 2 * config.accessTokenTtlSeconds * 1000))
      .catch((error: unknown) => {
        logger.warn({ err: error }, 'admin revocation purge failed; will retry');
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
    modules: {
      auth,
      admins,
      apiKeys,
      tenants,
      clients,
      resources,
      identityProviders,
      auditLog,
      internalApi,
      webhooks,
    },
    async close() {
      clearInterval(purge);
      await webhooks.worker.stop();
      await relay.stop();
      for (const subscription of subscriptions) await subscription.close();
      if (ownsBus) await bus.close();
      await limiterStore.close();
      mailer.close();
      await db.destroy();
    },
  };
}
