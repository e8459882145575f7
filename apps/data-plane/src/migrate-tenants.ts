/**
 * `node apps/data-plane/dist/migrate-tenants.js` (or `npm run migrate:tenants`): applies pending
 * tenant migrations to every tenant database the control plane knows, one tenant at a time with
 * progress. A tenant that fails is reported and the rest go on; the exit code is 1 if any failed.
 */
import { ConfigError, loadConfig } from '@hellojohn/config';
import { createTenantRouter } from '@hellojohn/dal';
import { createControlPlaneClient } from './tenancy/control-plane-client';
import { connectionInfoOf } from './tenancy/tenant-context';

async function main(): Promise<void> {
  const config = loadConfig();
  const client = createControlPlaneClient({
    cpUrl: config.cpUrl,
    internalToken: config.internalToken,
    timeoutMs: 10_000,
  });
  const router = createTenantRouter({
    serverUrl: config.tenantDatabaseUrl,
    maxOpen: 4,
    idleMs: 1_000,
  });
  const failures: Array<{ slug: string; error: string }> = [];
  let done = 0;
  let cursor: string | null = null;
  try {
    do {
      const page = await client.listTenants(cursor);
      for (const tenant of page.data) {
        if (tenant.status !== 'active') continue;
        done += 1;
        try {
          const applied = await router.migrate(connectionInfoOf(tenant));
          process.stdout.write(
            `[${done}] ${tenant.slug}: ${applied.length ? `applied ${applied.join(', ')}` : 'up to date'}\n`,
          );
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          failures.push({ slug: tenant.slug, error: message });
          process.stdout.write(`[${done}] ${tenant.slug}: FAILED ${message}\n`);
        } finally {
          await router.close(tenant.id);
        }
      }
      cursor = page.next_cursor;
    } while (cursor);
  } finally {
    await router.closeAll();
  }
  process.stdout.write(`Migrated ${done - failures.length} of ${done} tenants.\n`);
  if (failures.length > 0) {
    for (const failure of failures)
      process.stdout.write(`  failed: ${failure.slug}: ${failure.error}\n`);
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
