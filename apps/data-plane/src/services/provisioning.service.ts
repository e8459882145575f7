import {
  dropManagedDatabase,
  ensureManagedDatabase,
  withProvisioningLock,
  type TenantRouter,
} from '@hellojohn/dal';
import { createEvent, type EventBus, type EventEnvelope } from '@hellojohn/events';
import type { Logger } from '@hellojohn/http';
import { connectionInfoOf } from '../tenancy/tenant-context';
import type { TenantDirectory } from '../tenancy/tenant-directory';
import type { TenantConfig } from '../tenancy/tenant-config';
import type { Keyring } from './keyring';

type TenantCreated = EventEnvelope<'tenant.created'>;

/** An error whose message an operator may read: no DSN, no password. */
export class ProvisioningError extends Error {
  override name = 'ProvisioningError';
}

export interface ProvisioningService {
  /** Idempotent: the same event twice, or after a crash at any step, ends in one migrated DB and one key. */
  provision(event: TenantCreated): Promise<void>;
  deprovision(event: EventEnvelope<'tenant.deleted'>): Promise<void>;
  reportFailure(event: EventEnvelope | undefined, reason: string, attempts: number): Promise<void>;
}

/** Operator-safe reason: driver messages can carry host names and users, never passwords. */
export function safeReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\/\/[^@\s/]*@/g, '//***@').slice(0, 500);
}

export function createProvisioningService(deps: {
  serverUrl: string;
  router: TenantRouter;
  directory: TenantDirectory;
  keyring: Keyring;
  bus: EventBus;
  logger: Logger;
}): ProvisioningService {
  const { serverUrl, router, bus, logger } = deps;

  async function describe(event: TenantCreated): Promise<Pick<TenantConfig, 'id' | 'database'>> {
    if (event.data.database.mode === 'managed')
      return { id: event.tenant_id, database: { mode: 'managed' } };
    // The external DSN is never in an event; read it (decrypted) from the control plane.
    deps.directory.invalidate(event.tenant_id);
    const tenant = await deps.directory.resolve(event.tenant_id);
    if (!tenant) throw new ProvisioningError('the control plane does not know this tenant');
    return tenant;
  }

  return {
    async provision(event) {
      const tenant = await describe(event);
      const info = connectionInfoOf(tenant);
      const result = await withProvisioningLock(serverUrl, tenant.id, async () => {
        let created = false;
        if (info.database.mode === 'managed') {
          created = (await ensureManagedDatabase(serverUrl, tenant.id)).created;
        } else if ((await router.inspect(info)) === 'foreign') {
          throw new ProvisioningError(
            'the external database is not empty and was not created by HelloJohn',
          );
        }
        await router.migrate(info);
        const db = router.get(info);
        const kid = await deps.keyring.ensureActiveKey(db);
        await db.meta.markProvisioned(tenant.id);
        return { created, kid };
      });
      await bus.publish(
        createEvent('tenant.provisioned', tenant.id, {
          slug: event.data.slug,
          database_created: result.created,
          signing_key_kid: result.kid,
        }),
      );
      deps.directory.invalidate(tenant.id);
      logger.info({ tenant_id: tenant.id, slug: event.data.slug, ...result }, 'tenant provisioned');
    },

    async deprovision(event) {
      await router.close(event.tenant_id);
      deps.keyring.invalidate(event.tenant_id);
      if (event.data.drop_database) {
        await withProvisioningLock(serverUrl, event.tenant_id, () =>
          dropManagedDatabase(serverUrl, event.tenant_id),
        );
      }
      await bus.publish(
        createEvent('tenant.deprovisioned', event.tenant_id, { slug: event.data.slug }),
      );
      deps.directory.invalidate(event.tenant_id);
    },

    async reportFailure(event, reason, attempts) {
      if (event?.type !== 'tenant.created') return;
      await bus.publish(
        createEvent('tenant.provisioning_failed', event.tenant_id, {
          slug: event.data.slug,
          reason,
          attempts,
        }),
      );
    },
  };
}
