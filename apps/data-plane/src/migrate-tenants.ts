/**
 * `npm run migrate:tenants` (or `node apps/data-plane/dist/migrate-tenants.js`): applies pending
 * tenant migrations to every active tenant's database the control plane knows, one tenant at a
 * time with progress, and converges what provisioning guarantees (one active key per algorithm,
 * the default roles) for tenants provisioned by an older release. A tenant that fails is
 * reported and the rest go on; the exit code is 1 if any failed.
 */
import { ConfigError, loadConfig } from '@hellojohn/config';
import { createTenantPools, redactDatabaseUrl } from '@hellojohn/dal';
import { seedDefaultRoles } from './features/provisioning';
import { createKeyring } from './keys/keyring';
import { createControlPlaneClient } from './tenancy/control-plane-client';
import { safeReason } from './tenancy/safe-reason';
import { connectionInfoOf } from './tenancy/tenant-context';

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

async function main(): Promise<void> {
  const config = loadConfig();
  const client = createControlPlaneClient({
    cpUrl: config.cpUrl,
    internalToken: config.internalToken,
    timeoutMs: 10_000,
  });
  const pools = createTenantPools({
    serverUrl: config.tenantDatabaseUrl,
    maxOpen: 4,
    idleMs: 1_000,
    acquireTimeoutMs: 10_000,
  });
  const keyring = createKeyring({ masterKey: config.masterKey });
  const failures: Array<{ slug: string; error: string }> = [];
  let done = 0;
  let skipped = 0;
  let cursor: string | null = null;
  const started = Date.now();
  out(`Migrating tenant databases on ${redactDatabaseUrl(config.tenantDatabaseUrl)}`);
  try {
    do {
      const page = await client.listTenants(cursor);
      for (const tenant of page.data) {
        if (tenant.status !== 'active') {
          skipped += 1;
          continue;
        }
        done += 1;
        const t0 = Date.now();
        try {
          const info = connectionInfoOf(tenant);
          const applied = await pools.migrate(info);
          const db = pools.get(info);
          await keyring.ensureKeys(db);
          const roles = await seedDefaultRoles(db);
          const what = applied.length ? `applied ${applied.join(', ')}` : 'up to date';
          const extra = roles.length ? `; seeded roles ${roles.join(', ')}` : '';
          out(`[${done}] ${tenant.slug}: ${what}${extra} (${Date.now() - t0} ms)`);
        } catch (error) {
          const message = safeReason(error);
          failures.push({ slug: tenant.slug, error: message });
          out(`[${done}] ${tenant.slug}: FAILED ${message}`);
        } finally {
          await pools.close(tenant.id);
        }
      }
      cursor = page.next_cursor;
    } while (cursor);
  } finally {
    await pools.closeAll();
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  out(
    `Migrated ${done - failures.length} of ${done} active tenants in ${seconds} s` +
      (skipped ? ` (${skipped} not active, skipped)` : '') +
      '.',
  );
  if (failures.length > 0) {
    out(`${failures.length} failed:`);
    for (const failure of failures) out(`  ${failure.slug}: ${failure.error}`);
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
