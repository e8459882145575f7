/**
 * `npm run migrate:tenants [-- --concurrency N]` (or `node apps/data-plane/dist/migrate-tenants.js`):
 * applies pending tenant migrations to every active tenant's database the control plane knows,
 * N tenants at a time (default 4) with progress, and converges what provisioning guarantees (one
 * active key per algorithm, the default roles) for tenants provisioned by an older release. A
 * tenant that fails is reported and the rest go on; the exit code is 1 if any failed. Its
 * connections count against HJ_TENANT_DB_MAX_CONNECTIONS like a data plane's.
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

/** A progress line every this many tenants, with the rate so far. */
const PROGRESS_EVERY = 100;

function concurrencyArg(argv: readonly string[]): number {
  const index = argv.indexOf('--concurrency');
  if (index === -1) return 4;
  const value = Number(argv[index + 1]);
  if (!Number.isInteger(value) || value < 1 || value > 64) {
    console.error('--concurrency must be an integer from 1 to 64');
    process.exit(2);
  }
  return value;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const concurrency = concurrencyArg(process.argv.slice(2));
  const client = createControlPlaneClient({
    cpUrl: config.cpUrl,
    internalToken: config.internalToken,
    timeoutMs: 10_000,
  });
  const pools = createTenantPools({
    serverUrl: config.tenantDatabaseUrl,
    maxOpen: concurrency * 2,
    idleMs: 1_000,
    acquireTimeoutMs: 10_000,
    maxConnectionsPerServer: config.tenantDbMaxConnections,
  });
  const keyring = createKeyring({ masterKey: config.masterKey });
  const failures: Array<{ slug: string; error: string }> = [];
  let done = 0;
  let skipped = 0;
  let cursor: string | null = null;
  const started = Date.now();
  type Tenant = Awaited<ReturnType<typeof client.listTenants>>['data'][number];

  const migrateOne = async (tenant: Tenant): Promise<void> => {
    const t0 = Date.now();
    const n = (done += 1);
    try {
      const info = connectionInfoOf(tenant);
      const applied = await pools.migrate(info);
      const db = pools.get(info);
      await keyring.ensureKeys(db);
      const roles = await seedDefaultRoles(db);
      const what = applied.length ? `applied ${applied.join(', ')}` : 'up to date';
      const extra = roles.length ? `; seeded roles ${roles.join(', ')}` : '';
      out(`[${n}] ${tenant.slug}: ${what}${extra} (${Date.now() - t0} ms)`);
    } catch (error) {
      const message = safeReason(error);
      failures.push({ slug: tenant.slug, error: message });
      out(`[${n}] ${tenant.slug}: FAILED ${message}`);
    } finally {
      await pools.close(tenant.id);
    }
    if (n % PROGRESS_EVERY === 0) {
      const seconds = (Date.now() - started) / 1000;
      out(`progress: ${n} tenants in ${seconds.toFixed(1)} s (${(n / seconds).toFixed(1)} /s)`);
    }
  };

  out(
    `Migrating tenant databases on ${redactDatabaseUrl(config.tenantDatabaseUrl)}, ` +
      `${concurrency} at a time`,
  );
  try {
    do {
      const page = await client.listTenants(cursor);
      const active = page.data.filter((tenant) => tenant.status === 'active');
      skipped += page.data.length - active.length;
      // One page at a time, `concurrency` tenants of it in flight.
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(concurrency, active.length) }, async () => {
          for (let tenant = active[next++]; tenant; tenant = active[next++]) {
            await migrateOne(tenant);
          }
        }),
      );
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
