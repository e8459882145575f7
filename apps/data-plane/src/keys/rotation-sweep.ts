import { withProvisioningLock, type TenantPools } from '@hellojohn/dal';
import type { Logger } from '@hellojohn/http';
import type { ControlPlaneClient } from '../tenancy/control-plane-client';
import { policyOf, type TenantConfig } from '../tenancy/tenant-config';
import { connectionInfoOf } from '../tenancy/tenant-context';
import type { Keyring } from './keyring';

const DAY_MS = 86_400_000;

/** How often every replica looks for tenants due for automatic key rotation. */
const KEY_ROTATION_SWEEP_MS = 60 * 60_000;

/** What one sweep did. */
export interface SweepReport {
  /** Tenants with `key_rotation_days` set whose keys were looked at. */
  checked: number;
  rotated: string[];
  failed: Array<{ tenantId: string; error: string }>;
}

export interface KeyRotationSweep {
  /** Rotates every active tenant whose active EdDSA key is older than its `key_rotation_days`. */
  run(): Promise<SweepReport>;
}

/**
 * Automatic key rotation (tenant setting `key_rotation_days`; null, the default, is off). Every
 * replica may sweep: the provisioning lock and the "a rotation is already pending" check make a
 * tenant rotate once. Tenants without the setting are not touched (their key transitions happen
 * lazily on read), so a sweep costs nothing for them.
 */
export function createKeyRotationSweep(deps: {
  client: ControlPlaneClient;
  pools: TenantPools;
  keyring: Keyring;
  serverUrl: string;
  logger: Logger;
  defaults: { accessTokenTtlSeconds: number; bcryptCost: number };
  now?: () => Date;
}): KeyRotationSweep {
  const now = deps.now ?? (() => new Date());

  /** True when the tenant's key is due and it was rotated now. */
  async function sweepTenant(tenant: TenantConfig, days: number): Promise<boolean> {
    return withProvisioningLock(deps.serverUrl, tenant.id, async () => {
      const db = deps.pools.get(connectionInfoOf(tenant));
      const rows = await deps.keyring.keys(db);
      if (rows.some((row) => row.status === 'next')) return false;
      const active = rows.find((row) => row.status === 'active' && row.alg === 'EdDSA');
      const since = active ? (active.activatesAt ?? active.createdAt) : undefined;
      if (since && now().getTime() - since.getTime() < days * DAY_MS) return false;
      const policy = policyOf(tenant, deps.defaults);
      await deps.keyring.rotate(db, { tokenTtlSeconds: policy.accessTokenTtlSeconds });
      return true;
    });
  }

  return {
    async run() {
      const report: SweepReport = { checked: 0, rotated: [], failed: [] };
      let cursor: string | null = null;
      do {
        const page = await deps.client.listTenants(cursor);
        for (const tenant of page.data) {
          const days = policyOf(tenant, deps.defaults).keyRotationDays;
          if (tenant.status !== 'active' || days === null) continue;
          report.checked += 1;
          try {
            if (await sweepTenant(tenant, days)) report.rotated.push(tenant.id);
          } catch (error) {
            // One unreachable tenant database must not stop the others' rotation.
            const message = error instanceof Error ? error.message : String(error);
            report.failed.push({ tenantId: tenant.id, error: message });
          }
        }
        cursor = page.next_cursor;
      } while (cursor);
      if (report.rotated.length > 0 || report.failed.length > 0) {
        deps.logger.info(
          { rotated: report.rotated.length, failed: report.failed },
          'automatic key rotation sweep',
        );
      }
      return report;
    },
  };
}

/**
 * Runs the sweep every `intervalMs` (default hourly) on an unref'd timer, so it never keeps the
 * process alive; a failed sweep is logged and the next one tries again.
 *
 * @example
 * const scheduled = scheduleKeyRotationSweep(sweep, logger);
 * scheduled.stop();
 */
export function scheduleKeyRotationSweep(
  sweep: KeyRotationSweep,
  logger: Logger,
  intervalMs: number = KEY_ROTATION_SWEEP_MS,
): { stop(): void } {
  const timer = setInterval(() => {
    sweep.run().catch((error: unknown) => {
      logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'key rotation sweep failed; next one in an hour',
      );
    });
  }, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
    },
  };
}
