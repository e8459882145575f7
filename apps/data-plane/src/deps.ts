import type { Config } from '@hellojohn/config';
import { createTenantRouter, type TenantRouter } from '@hellojohn/dal';
import { createEventBus, type EventBus, type Subscription } from '@hellojohn/events';
import type { Logger } from '@hellojohn/http';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { createLockout } from './abuse/lockout';
import { lockoutPolicyFrom } from './abuse/lockout-policy';
import { createRateLimits, type RateLimits } from './abuse/rate-limits';
import { consumeCacheInvalidation } from './consumers/cache-invalidation.consumer';
import { consumeProvisioning } from './consumers/provisioning.consumer';
import { createKeyRotationSweep, type KeyRotationSweep } from './keys/rotation-sweep';
import { startBackgroundWork } from './provisioning/background';
import {
  createTenantServerStatus,
  type TenantServerStatus,
} from './provisioning/tenant-server-status';
import { makeRequireCpAdmin } from './auth/require-cp-admin';
import { createControlPlaneJwks } from './auth/control-plane-jwks';
import { createAccountService, type AccountService } from './services/account.service';
import { createAdminUserService, type AdminUserService } from './services/admin-user.service';
import { createAuthService, type AuthService } from './services/auth.service';
import { createPasswordHashers } from './services/password-hashers';
import { createSessionService, type SessionService } from './services/session.service';
import { createKeyring, type Keyring } from './services/keyring';
import {
  createProvisioningService,
  type ProvisioningService,
} from './services/provisioning.service';
import { createSessionTokens } from './services/session-tokens';
import { resolveTenant } from './tenancy/resolve-tenant.middleware';
import { createControlPlaneClient } from './tenancy/control-plane-client';
import { createTenantDirectory, type TenantDirectory } from './tenancy/tenant-directory';
import { createTenantHealth, type TenantHealth } from './tenancy/tenant-health';
import { tenantUnavailable } from './tenancy/tenant-unavailable.middleware';

export interface Services {
  auth: AuthService;
  account: AccountService;
  sessions: SessionService;
  adminUsers: AdminUserService;
  /** Guards tenant-admin routes with a CP admin token (`owner` writes, `viewer` reads). */
  requireCpAdmin: ReturnType<typeof makeRequireCpAdmin>;
  keyring: Keyring;
  provisioning: ProvisioningService;
  resolveTenant: RequestHandler;
  /** Maps an unreachable tenant database to 503 `tenant_unavailable` (after the tenant routes). */
  tenantUnavailable: ErrorRequestHandler;
  limits: RateLimits;
}

export interface Deps {
  config: Config;
  logger: Logger;
  bus: EventBus;
  router: TenantRouter;
  directory: TenantDirectory;
  services: Services;
  /** Tenants whose database was unreachable lately (for /readyz and 503 tenant_unavailable). */
  health: TenantHealth;
  tenantServer: TenantServerStatus;
  /** Automatic key rotation; runs hourly, callable directly (tests, operators). */
  keySweep: KeyRotationSweep;
  close(): Promise<void>;
}

/** The composition root of the data plane. */
export async function createDeps(
  config: Config,
  logger: Logger,
  options: { bus?: EventBus } = {},
): Promise<Deps> {
  const ownsBus = options.bus === undefined;
  const bus =
    options.bus ??
    createEventBus({ url: config.rabbitmqUrl, logger, connectionName: 'data-plane' });
  const router = createTenantRouter({
    serverUrl: config.tenantDatabaseUrl,
    maxOpen: config.tenantPoolMax,
    idleMs: config.tenantPoolIdleMs,
  });
  const cpClient = createControlPlaneClient({
    cpUrl: config.cpUrl,
    internalToken: config.internalToken,
  });
  const directory = createTenantDirectory({ client: cpClient });
  const tenantDefaults = {
    accessTokenTtlSeconds: config.accessTokenTtlSeconds,
    bcryptCost: config.bcryptCost,
  };
  const keyring = createKeyring({ masterKey: config.masterKey });
  const tokens = createSessionTokens(keyring);
  const limits = createRateLimits({ redisUrl: config.redisUrl, logger });
  const signInGuard = createLockout({
    store: limits.store,
    policyOf: lockoutPolicyFrom(directory, tenantDefaults),
    logger,
  });
  const hashers = createPasswordHashers();
  const auth = createAuthService({ hashers, tokens, masterKey: config.masterKey, signInGuard });
  const account = createAccountService({ hashers });
  const sessions = createSessionService();
  const adminUsers = createAdminUserService({ hashers });
  const requireCpAdmin = makeRequireCpAdmin({
    cpUrl: config.cpUrl,
    keys: createControlPlaneJwks({ cpUrl: config.cpUrl }),
  });
  const provisioning = createProvisioningService({
    serverUrl: config.tenantDatabaseUrl,
    router,
    directory,
    keyring,
    bus,
    logger,
    defaults: tenantDefaults,
  });
  const keySweep = createKeyRotationSweep({
    client: cpClient,
    router,
    keyring,
    serverUrl: config.tenantDatabaseUrl,
    logger,
    defaults: tenantDefaults,
  });
  const health = createTenantHealth();
  const tenantServer = createTenantServerStatus(config.tenantDatabaseUrl);
  const subscriptions: Subscription[] = [
    await consumeProvisioning({
      bus,
      provisioning,
      logger,
      maxAttempts: config.provisioningMaxAttempts,
    }),
    await consumeCacheInvalidation({ bus, directory, keyring }),
  ];
  const background = startBackgroundWork({ bus, directory, keyring, sweep: keySweep, logger });

  return {
    config,
    logger,
    bus,
    router,
    directory,
    health,
    tenantServer,
    keySweep,
    services: {
      auth,
      account,
      sessions,
      adminUsers,
      requireCpAdmin,
      keyring,
      limits,
      provisioning,
      tenantUnavailable: tenantUnavailable(health),
      resolveTenant: resolveTenant({
        directory,
        router,
        defaults: {
          accessTokenTtlSeconds: config.accessTokenTtlSeconds,
          bcryptCost: config.bcryptCost,
        },
      }),
    },
    async close() {
      background.stop();
      for (const subscription of subscriptions) await subscription.close();
      if (ownsBus) await bus.close();
      await router.closeAll();
      await tenantServer.close();
      await limits.close();
    },
  };
}
