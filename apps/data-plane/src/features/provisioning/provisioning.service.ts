import {
  dropManagedDatabase,
  ensureManagedDatabase,
  withProvisioningLock,
  type TenantPools,
} from '@hellojohn/dal';
import { createEvent, type EventBus, type EventEnvelope } from '@hellojohn/events';
import type { Logger } from '@hellojohn/http';
import type { Keyring } from '../../keys/keyring';
import { safeReason } from '../../tenancy/safe-reason';
import { policyOf, type TenantConfig } from '../../tenancy/tenant-config';
import { connectionInfoOf } from '../../tenancy/tenant-context';
import type { TenantDirectory } from '../../tenancy/tenant-directory';
import { seedDefaultRoles } from './default-roles';
import { checkExternalDatabase } from './external-database';
import { ProvisioningError } from './provisioning-error';

type TenantCreated = EventEnvelope<'tenant.created'>;

/** What provisioning did, for the answer and the logs. */
export interface ProvisionResult {
  created: boolean;
  migrations: string[];
  kids: { EdDSA: string; RS256: string };
  roles: string[];
}

export interface ProvisioningService {
  /**
   * Idempotent: the same event twice, or a crash after any step, ends in one database, migrated
   * once, one active key per algorithm and the default roles once. `undefined` when the control
   * plane no longer has the tenant (deleted before its creation was handled): nothing is made.
   */
  provision(event: TenantCreated): Promise<ProvisionResult | undefined>;
  /** Closes the tenant's pools, drops a managed database (never an external one), answers. */
  deprovision(event: EventEnvelope<'tenant.deleted'>): Promise<void>;
  /** Puts a `next` key in the JWKS; it signs once every verifier can know it (keys/key-schedule.ts). */
  rotateKeys(event: EventEnvelope<'tenant.keys.rotation_requested'>): Promise<void>;
  /** Answers `tenant.provisioning_failed` for a dead-lettered `tenant.created` (even a malformed one). */
  reportFailure(
    event: EventEnvelope | undefined,
    raw: unknown,
    reason: string,
    attempts: number,
  ): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The tenant id of a dead-lettered body that is not a valid event, if it names one. */
function tenantOfRaw(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { type, tenant_id: id } = raw as Record<string, unknown>;
  return type === 'tenant.created' && typeof id === 'string' && UUID.test(id) ? id : undefined;
}

/** What provisioning works with: the tenant server, pools, directory, keys and the bus. */
export interface ProvisioningServiceDeps {
  serverUrl: string;
  pools: TenantPools;
  directory: TenantDirectory;
  keyring: Keyring;
  bus: EventBus;
  logger: Logger;
  defaults: { accessTokenTtlSeconds: number; bcryptCost: number };
  /**
   * New managed databases are copies of the migrated template (`HJ_TENANT_TEMPLATE`, default
   * true); the migrations run after the copy either way.
   */
  fromTemplate?: boolean;
}

export function createProvisioningService(deps: ProvisioningServiceDeps): ProvisioningService {
  const { serverUrl, pools, bus, logger, keyring } = deps;
  const create = { fromTemplate: deps.fromTemplate ?? true };

  /** The tenant as the control plane has it now (the external DSN is never in an event). */
  async function current(tenantId: string): Promise<TenantConfig | undefined> {
    deps.directory.invalidate(tenantId);
    const tenant = await deps.directory.resolve(tenantId);
    return tenant && tenant.status !== 'deleting' ? tenant : undefined;
  }

  async function provisionLocked(tenant: TenantConfig): Promise<ProvisionResult> {
    const info = connectionInfoOf(tenant);
    let created = false;
    if (info.database.mode === 'managed') {
      created = (await ensureManagedDatabase(serverUrl, tenant.id, create)).created;
      const state = created ? 'empty' : await pools.inspect(info);
      if (state === 'foreign') {
        throw new ProvisioningError(
          `the managed database of tenant ${tenant.id} holds tables HelloJohn did not create; move them away`,
        );
      }
      if (!created && state === 'empty') {
        // Left by a run that stopped before claiming it, so nothing has used it yet (the claim
        // comes before the answer). MySQL cannot roll back DDL: a migration cut short there
        // cannot be resumed, so start the database over instead.
        await pools.close(tenant.id);
        await dropManagedDatabase(serverUrl, tenant.id);
        created = (await ensureManagedDatabase(serverUrl, tenant.id, create)).created;
      }
    } else {
      await checkExternalDatabase(pools, info, info.database.url);
    }
    // Also after a template copy: nothing to do when the template is current, and what catches a
    // database copied from a template older than this release's migrations.
    const migrations = await pools.migrate(info);
    // A pool of its own, like the migrations': the first connect to a new database can take
    // seconds on a loaded server, which the request pools' short acquire timeout turned into
    // retries (and, past HJ_PROVISIONING_MAX_ATTEMPTS, a failed tenant) during a burst of
    // creations; and this replica may never serve the tenant, so no connection is left open.
    return pools.withOwnPool(info, async (db) => {
      const kids = await keyring.ensureKeys(db);
      const roles = await seedDefaultRoles(db);
      // Last: the claim marks a complete database; anything before it is redone on redelivery.
      await db.meta.markProvisioned(tenant.id);
      return { created, migrations, kids, roles };
    });
  }

  return {
    async provision(event) {
      // Read under the lock: a tenant.deleted handled meanwhile must not be undone.
      const outcome = await withProvisioningLock(serverUrl, event.tenant_id, async () => {
        const tenant = await current(event.tenant_id);
        if (!tenant) return undefined;
        try {
          return { tenant, result: await provisionLocked(tenant) };
        } catch (error) {
          // A pool to a wrong DSN is useless; the retry opens a fresh one.
          await pools.close(tenant.id);
          throw error;
        }
      });
      if (!outcome) {
        logger.warn(
          { tenant_id: event.tenant_id, slug: event.data.slug },
          'tenant.created for a tenant the control plane no longer has (or is deleting); skipped',
        );
        return undefined;
      }
      const { tenant, result } = outcome;
      await bus.publish(
        createEvent('tenant.provisioned', tenant.id, {
          slug: tenant.slug,
          database_created: result.created,
          signing_key_kid: result.kids.EdDSA,
        }),
      );
      deps.directory.invalidate(tenant.id);
      logger.info(
        {
          tenant_id: tenant.id,
          slug: tenant.slug,
          mode: tenant.database.mode,
          database_created: result.created,
          migrations: result.migrations.length,
          roles_seeded: result.roles,
        },
        'tenant provisioned',
      );
      return result;
    },

    async deprovision(event) {
      await withProvisioningLock(serverUrl, event.tenant_id, async () => {
        await pools.close(event.tenant_id);
        keyring.invalidate(event.tenant_id);
        // The control plane sets drop_database only for managed databases: an external one
        // belongs to the operator and is left as it is.
        if (event.data.drop_database) await dropManagedDatabase(serverUrl, event.tenant_id);
      });
      await bus.publish(
        createEvent('tenant.deprovisioned', event.tenant_id, { slug: event.data.slug }),
      );
      deps.directory.invalidate(event.tenant_id);
      logger.info(
        { tenant_id: event.tenant_id, dropped: event.data.drop_database },
        'tenant deprovisioned',
      );
    },

    async rotateKeys(event) {
      const rotation = await withProvisioningLock(serverUrl, event.tenant_id, async () => {
        const tenant = await current(event.tenant_id);
        if (!tenant || tenant.status !== 'active') return undefined;
        const policy = policyOf(tenant, deps.defaults);
        return keyring.rotate(pools.get(connectionInfoOf(tenant)), {
          tokenTtlSeconds: policy.accessTokenTtlSeconds,
        });
      });
      keyring.invalidate(event.tenant_id);
      if (!rotation) {
        logger.warn(
          { tenant_id: event.tenant_id },
          'key rotation for a tenant not active; skipped',
        );
        return;
      }
      logger.info(
        {
          tenant_id: event.tenant_id,
          requested_by: event.data.requested_by,
          kids: rotation.kids,
          activates_at: rotation.activatesAt.toISOString(),
          created: rotation.created,
        },
        'signing keys rotation started',
      );
    },

    async reportFailure(event, raw, reason, attempts) {
      const tenantId = event ? event.tenant_id : tenantOfRaw(raw);
      if (event && event.type !== 'tenant.created') return;
      if (!tenantId) return;
      await bus.publish(
        createEvent('tenant.provisioning_failed', tenantId, {
          ...(event?.type === 'tenant.created' ? { slug: event.data.slug } : {}),
          reason: safeReason(reason),
          attempts,
        }),
      );
    },
  };
}
