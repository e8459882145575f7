import type { Config } from '@hellojohn/config';
import { createTenantRouter, type TenantRouter } from '@hellojohn/dal';
import { createEventBus, type EventBus, type Subscription } from '@hellojohn/events';
import type { Logger } from '@hellojohn/http';
import { createPasswordHasher } from '@hellojohn/tokens';
import type { RequestHandler } from 'express';
import { consumeCacheInvalidation } from './consumers/cache-invalidation.consumer';
import { consumeProvisioning } from './consumers/provisioning.consumer';
import { createAuthService, type AuthService } from './services/auth.service';
import { createKeyring, type Keyring } from './services/keyring';
import {
  createProvisioningService,
  type ProvisioningService,
} from './services/provisioning.service';
import { createSessionTokens } from './services/session-tokens';
import { resolveTenant } from './tenancy/resolve-tenant.middleware';
import { createControlPlaneClient } from './tenancy/control-plane-client';
import { createTenantDirectory, type TenantDirectory } from './tenancy/tenant-directory';

export interface Services {
  auth: AuthService;
  keyring: Keyring;
  provisioning: ProvisioningService;
  resolveTenant: RequestHandler;
}

export interface Deps {
  config: Config;
  logger: Logger;
  bus: EventBus;
  router: TenantRouter;
  directory: TenantDirectory;
  services: Services;
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
  const directory = createTenantDirectory({
    client: createControlPlaneClient({ cpUrl: config.cpUrl, internalToken: config.internalToken }),
  });
  const keyring = createKeyring({ masterKey: config.masterKey });
  const tokens = createSessionTokens(keyring);
  const auth = createAuthService({ hasher: createPasswordHasher(config.bcryptCost), tokens });
  const provisioning = createProvisioningService({
    serverUrl: config.tenantDatabaseUrl,
    router,
    directory,
    keyring,
    bus,
    logger,
  });
  const subscriptions: Subscription[] = [
    await consumeProvisioning({
      bus,
      provisioning,
      logger,
      maxAttempts: config.provisioningMaxAttempts,
    }),
    await consumeCacheInvalidation({ bus, directory, keyring }),
  ];

  return {
    config,
    logger,
    bus,
    router,
    directory,
    services: {
      auth,
      keyring,
      provisioning,
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
      for (const subscription of subscriptions) await subscription.close();
      if (ownsBus) await bus.close();
      await router.closeAll();
    },
  };
}
