import type { Config } from '@hellojohn/config';
import { createTenantPools, type TenantPools } from '@hellojohn/dal';
import { createEventBus, type EventBus, type Subscription } from '@hellojohn/events';
import { deriveSubkey } from '@hellojohn/tokens';
import type { Logger, Metrics } from '@hellojohn/http';
import { createLockout } from './abuse/lockout';
import { lockoutPolicyFrom } from './abuse/lockout-policy';
import { createRateLimits, type RateLimits } from './abuse/rate-limits';
import { createPasswordAuthenticator } from './credentials/authenticate-password';
import { createPasswordHashers } from './credentials/password-hashers';
import { createTenantOrigins, type TenantOrigins } from './cors/tenant-origins';
import { createAccountModule } from './features/account';
import { createAdminUsersModule } from './features/admin-users';
import { createAdminOrganizationsModule } from './features/admin-organizations';
import { createAdminSessionsModule } from './features/admin-sessions';
import { createRolesModule } from './features/roles';
import { createOrganizationsModule } from './features/organizations';
import { createAuthModule } from './features/auth';
import { createConsentsModule } from './features/consents';
import { createDeadLettersModule } from './features/dead-letters';
import { createEmailVerificationModule } from './features/email-verification';
import { createPasswordResetModule } from './features/password-reset';
import { createPasswordlessModule } from './features/passwordless';
import { createMfaModule } from './features/mfa';
import { createPasskeysModule } from './features/passkeys';
import { createHostedLoginModule } from './features/hosted-login';
import {
  createProvisioningModule,
  PROVISIONING_QUEUE,
  type ProvisioningModule,
} from './features/provisioning';
import { createSessionsModule } from './features/sessions';
import { createUserTransferModule, type ImportPacing } from './features/user-transfer';
import { createAdminRevocations } from './guards/admin-revocations';
import { createApiKeyVerifier } from './guards/api-key-verifier';
import { createControlPlaneJwks } from './guards/control-plane-jwks';
import { makeRequireCpAdmin } from './guards/require-cp-admin';
import { optionalUser, requireUser } from './guards/require-user';
import { createKeyPairPool } from './keys/key-pair-pool';
import { createKeyring, type Keyring } from './keys/keyring';
import { createOAuth2Module } from './oauth2';
import {
  createKeyRotationSweep,
  scheduleKeyRotationSweep,
  type KeyRotationSweep,
} from './keys/rotation-sweep';
import type { Guards, RoutedModules } from './routes';
import { consumeCacheInvalidation } from './tenancy/cache-invalidation.consumer';
import {
  createControlPlaneClient,
  createControlPlaneOperatorsClient,
} from './tenancy/control-plane-client';
import { watchBrokerReconnects } from './tenancy/reconnect-watch';
import { resolveTenant } from './tenancy/resolve-tenant.middleware';
import { createTenantDirectory, type TenantDirectory } from './tenancy/tenant-directory';
import { createTenantHealth, type TenantHealth } from './tenancy/tenant-health';
import { tenantUnavailable } from './tenancy/tenant-unavailable.middleware';
import { registerTenantPoolMetrics } from './tenancy/tenant-pool-metrics';
import { createSessionTokens } from './tokens/session-tokens';
import { createMailModule, type MailModule } from './mail';
import { createMailTokens } from './one-time-tokens';
import { createOutboxModule, type OutboxModule } from './outbox';
import {
  createFederationModule,
  createIdentityProviderDirectory,
  federatedButtonsOf,
} from './features/federation';
import { connectionInfoOf } from './tenancy/tenant-context';

/** Every feature module: the route table mounts the routed ones; provisioning consumes events. */
interface Modules extends RoutedModules {
  provisioning: ProvisioningModule;
}

export interface Deps {
  config: Config;
  logger: Logger;
  bus: EventBus;
  pools: TenantPools;
  directory: TenantDirectory;
  /** Each tenant's CORS origins: the union of its clients' allowed_origins (cors/). */
  origins: TenantOrigins;
  keyring: Keyring;
  limits: RateLimits;
  /** Tenants whose database was unreachable lately (for /readyz and 503 tenant_unavailable). */
  health: TenantHealth;
  /** Automatic key rotation; runs hourly, callable directly (tests, operators). */
  keySweep: KeyRotationSweep;
  /** The mail layer: outbox relay, sweep and dev mailbox (mail/). */
  mail: MailModule;
  /** The domain-event outbox relay: webhook events from tenants' outboxes to the bus (outbox/). */
  outbox: OutboxModule;
  modules: Modules;
  guards: Guards;
  close(): Promise<void>;
}

/**
 * The composition root of the data plane: DAL -> cross-cutting services -> modules -> guards.
 * `bus` may be passed in (the embedded default shares one); `limitKeyPrefix` (default
 * `HJ_REDIS_KEY_PREFIX`, `hj`) namespaces every Redis key: limits, lockout, revoked token ids
 * and the outbox's leases (tests on a shared Redis use a random one);
 * `registry` is the `/metrics` registry the mail counters join.
 */
export async function createDeps(
  config: Config,
  logger: Logger,
  options: {
    bus?: EventBus;
    limitKeyPrefix?: string;
    registry?: Metrics['registry'];
    /** How user imports pace their batches (tests run them without pauses). */
    importPacing?: Partial<ImportPacing>;
  } = {},
): Promise<Deps> {
  const ownsBus = options.bus === undefined;
  const bus =
    options.bus ??
    createEventBus({ url: config.rabbitmqUrl, logger, connectionName: 'data-plane' });
  const pools = createTenantPools({
    serverUrl: config.tenantDatabaseUrl,
    maxOpen: config.tenantPoolMax,
    idleMs: config.tenantPoolIdleMs,
    // One budget per tenant database server, across every pool (docs/architecture.md).
    maxConnectionsPerServer: config.tenantDbMaxConnections,
    // Cursors are signed (docs/api.md, "Pagination"), with a key every replica derives alike.
    cursorSecret: deriveSubkey(config.masterKey, 'pagination-cursor:data-plane'),
    // Domain events written to a tenant's outbox wake its relay once committed (outbox/).
    domainEvents: {
      appended: (tenantId) => outbox.hooks.appended(tenantId),
      committed: (tenantId) => {
        outbox.hooks.committed(tenantId);
      },
    },
  });
  if (options.registry) registerTenantPoolMetrics(pools, options.registry);
  const cpClient = createControlPlaneClient({
    cpUrl: config.cpUrl,
    internalToken: config.internalToken,
  });
  const directory = createTenantDirectory({ client: cpClient });
  // Operator credentials on the admin routes: API keys checked through the control plane, admin
  // tokens against a revocation list (docs/operations.md, "Operator access").
  const operatorsClient = createControlPlaneOperatorsClient({
    cpUrl: config.cpUrl,
    internalToken: config.internalToken,
  });
  const operators = {
    apiKeys: createApiKeyVerifier({ client: operatorsClient }),
    admins: createAdminRevocations({
      client: operatorsClient,
      tokenTtlMs: config.accessTokenTtlSeconds * 1000,
      logger,
    }),
  };
  const origins = createTenantOrigins({ client: cpClient });
  const tenantDefaults = {
    accessTokenTtlSeconds: config.accessTokenTtlSeconds,
    bcryptCost: config.bcryptCost,
  };
  // RSA-2048 takes tens to hundreds of ms to generate: provisioning takes pre-made pairs.
  const keyPairs = createKeyPairPool({
    algs: ['RS256'],
    size: 4,
    onError: (err: unknown) => {
      logger.warn({ err }, 'background key generation failed');
    },
  });
  const keyring = createKeyring({ masterKey: config.masterKey, keyPairs });
  const limitKeyPrefix = options.limitKeyPrefix ?? config.redisKeyPrefix;
  const limits = createRateLimits({ redisUrl: config.redisUrl, logger, keyPrefix: limitKeyPrefix });
  const health = createTenantHealth();
  const hashers = createPasswordHashers();

  // One lockout for every password check: the JSON sign-in and the hosted login count together.
  const signInGuard = createLockout({
    store: limits.store,
    policyOf: lockoutPolicyFrom(directory, tenantDefaults),
    logger,
    keyPrefix: limitKeyPrefix,
  });
  const oauth2 = createOAuth2Module({
    controlPlane: cpClient,
    keyring,
    store: limits.store,
    keyPrefix: limitKeyPrefix,
    masterKey: config.masterKey,
  });
  // The mail relay (mail/) and the one-time links and codes the mail flows send with it.
  const mail = createMailModule({
    config,
    logger,
    client: cpClient,
    directory,
    pools,
    defaults: tenantDefaults,
    registry: options.registry,
  });
  const outbox = createOutboxModule({
    config,
    bus,
    logger,
    keyPrefix: limitKeyPrefix,
    registry: options.registry,
    async tenantDb(tenantId) {
      const tenant = await directory.resolve(tenantId);
      if (tenant?.status !== 'active') return undefined;
      return pools.get(connectionInfoOf(tenant));
    },
    async forEachActiveTenant(visit) {
      let cursor: string | null = null;
      do {
        const page = await cpClient.listTenants(cursor);
        for (const tenant of page.data) if (tenant.status === 'active') visit(tenant.id);
        cursor = page.next_cursor;
      } while (cursor);
    },
  });
  const sessionTokens = createSessionTokens(keyring);
  const mailTokens = createMailTokens({
    masterKey: config.masterKey,
    sendMail: mail.sendMail,
  });
  const emailVerification = createEmailVerificationModule({ mailTokens });
  const passkeys = createPasskeysModule({
    relyingParty: {
      publicUrl: config.publicUrl,
      rpId: config.webauthnRpId,
      origins: config.webauthnOrigins,
    },
    tokens: sessionTokens,
    // The MFA core issues recovery codes when a passkey is the user's first factor.
    onFirstFactor: (tenant, userId) => mfa.service.issueRecoveryCodes(tenant, userId),
    confirmRecentAuthentication: (tenant, userId, proof, meta) =>
      mfa.service.confirmRecentAuthentication(tenant, userId, proof, meta),
  });
  // MFA (features/mfa): wrong codes count in the sign-in lockout and in a lockout of their own.
  const mfa = createMfaModule({
    masterKey: config.masterKey,
    hashers,
    tokens: sessionTokens,
    sendMail: mail.sendMail,
    signInGuard,
    codeGuard: createLockout({
      store: limits.store,
      policyOf: lockoutPolicyFrom(directory, tenantDefaults),
      logger,
      keyPrefix: `${limitKeyPrefix}:mfa`,
    }),
    passkeys: passkeys.secondFactor,
  });
  const passwordReset = createPasswordResetModule({ mailTokens, hashers, logger });
  const passwordless = createPasswordlessModule({
    mailTokens,
    tokens: sessionTokens,
    logger,
    mfa: mfa.step,
  });
  const noRequest = { ip: undefined, userAgent: undefined };
  // Tenant RBAC and organizations (docs/organizations.md) share the role service.
  const roles = createRolesModule();
  const organizations = createOrganizationsModule({
    roles: roles.service,
    sendMail: mail.sendMail,
  });
  // Upstream identity providers (features/federation), read from the control plane like clients.
  const identityProviders = createIdentityProviderDirectory({
    cpUrl: config.cpUrl,
    internalToken: config.internalToken,
  });
  const hostedPasswords = createPasswordAuthenticator({
    hashers,
    guard: signInGuard,
    masterKey: config.masterKey,
  });
  const hostedLogin = createHostedLoginModule({
    clients: oauth2.clients,
    resources: oauth2.resources,
    keyring,
    passwords: hostedPasswords,
    hashers,
    masterKey: config.masterKey,
    sendVerification: async (tenant, userId, locale) => {
      const user = await tenant.db.users.findById(userId);
      if (user) await emailVerification.service.sendTo(tenant, user, locale, noRequest);
    },
    mail: {
      mailTokens,
      passwordReset: passwordReset.service,
      emailVerification: emailVerification.service,
      passwordless: passwordless.service,
    },
    mfa: { step: mfa.step, service: mfa.service },
    invitations: organizations.invitations,
    passkeys: { registration: passkeys.registration, signIn: passkeys.signIn },
    federatedButtons: federatedButtonsOf(identityProviders),
  });
  const sessions = createSessionsModule();
  const modules: Modules = {
    auth: createAuthModule({
      hashers,
      tokens: sessionTokens,
      masterKey: config.masterKey,
      signInGuard,
      mfa: mfa.step,
      sendVerification: (tenant, user, locale, meta) =>
        emailVerification.service.sendTo(tenant, user, locale, meta),
    }),
    emailVerification,
    mfa,
    passwordReset,
    passwordless,
    passkeys,
    account: createAccountModule({ hashers }),
    sessions,
    adminSessions: createAdminSessionsModule({ sessions }),
    consents: createConsentsModule({ clients: oauth2.clients }),
    adminUsers: createAdminUsersModule({ hashers }),
    adminOrganizations: createAdminOrganizationsModule(),
    userTransfer: createUserTransferModule({
      masterKey: config.masterKey,
      logger,
      identityProviders,
      pacing: options.importPacing,
    }),
    roles,
    organizations,
    oauth2,
    hostedLogin,
    federation: createFederationModule({
      directory: identityProviders,
      external: hostedLogin.externalSignIn,
      passwords: hostedPasswords,
      masterKey: config.masterKey,
      logger,
    }),
    provisioning: createProvisioningModule({
      serverUrl: config.tenantDatabaseUrl,
      pools,
      directory,
      keyring,
      bus,
      logger,
      defaults: tenantDefaults,
      maxAttempts: config.provisioningMaxAttempts,
      concurrency: config.provisioningConcurrency,
      fromTemplate: config.tenantTemplate,
    }),
    deadLetters: createDeadLettersModule({
      rabbitmqUrl: config.rabbitmqUrl,
      queue: PROVISIONING_QUEUE,
      logger,
    }),
  };

  const requireCpAdmin = makeRequireCpAdmin({
    cpUrl: config.cpUrl,
    keys: createControlPlaneJwks({ cpUrl: config.cpUrl }),
    revocations: operators.admins,
    apiKeys: operators.apiKeys,
  });
  const guards: Guards = {
    resolveTenant: resolveTenant({ directory, pools, defaults: tenantDefaults }),
    requireUser: requireUser(keyring),
    optionalUser: optionalUser(keyring),
    requireCpAdmin,
    requirePlatformAdmin: requireCpAdmin.platform,
    limit: limits.limit,
    tenantUnavailable: tenantUnavailable(health),
  };

  const keySweep = createKeyRotationSweep({
    client: cpClient,
    pools,
    keyring,
    serverUrl: config.tenantDatabaseUrl,
    logger,
    defaults: tenantDefaults,
  });
  const subscriptions: Subscription[] = [
    await modules.provisioning.consume(),
    await consumeCacheInvalidation({
      bus,
      directory,
      keys: keyring,
      clients: modules.oauth2.clients,
      resources: modules.oauth2.resources,
      identityProviders,
      origins,
      operators,
    }),
  ];
  // Without blocking start-up: admin tokens answer 503 until it succeeds (fail closed).
  void operators.admins.load();
  const timers = [
    watchBrokerReconnects({
      bus,
      caches: [
        directory,
        keyring,
        modules.oauth2.clients,
        modules.oauth2.resources,
        identityProviders,
        origins,
        operators.apiKeys,
        operators.admins,
      ],
      logger,
    }),
    scheduleKeyRotationSweep(keySweep, logger),
  ];
  mail.start();
  outbox.start();

  return {
    config,
    logger,
    bus,
    pools,
    directory,
    origins,
    keyring,
    limits,
    health,
    keySweep,
    mail,
    outbox,
    modules,
    guards,
    async close() {
      for (const timer of timers) timer.stop();
      for (const subscription of subscriptions) await subscription.close();
      // Before the bus and the pools: a drain in flight publishes and marks its rows.
      await outbox.stop();
      if (ownsBus) await bus.close();
      // Before the pools: a drain in flight finishes on its tenant's database.
      await mail.stop();
      await modules.userTransfer.close();
      await pools.closeAll();
      await modules.provisioning.close();
      keyPairs.close();
      await limits.close();
    },
  };
}
