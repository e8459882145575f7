import { createHash, randomBytes } from 'node:crypto';
import type { TenantConnectionInfo, TenantDb, TenantPools } from '../../src/index';
import { createTenantPools, dropManagedDatabase, ensureManagedDatabase } from '../../src/index';
import type { ServerFactory, ServerFixture } from './fixtures';
import { newId } from './fixtures';

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/** A fresh opaque secret's hash, as a cookie, link or challenge would be stored. */
export const newHash = (): string => sha256(randomBytes(32).toString('base64url'));

export const inSeconds = (s: number, from = new Date()): Date =>
  new Date(from.getTime() + s * 1000);

/** One migrated tenant database for a suite, seen through two replicas' pools. */
export interface MigratedTenant {
  server: ServerFixture;
  pools: TenantPools;
  /** A second replica: its own pool (own connections) to the same tenant database. */
  otherPools: TenantPools;
  info: TenantConnectionInfo;
  db: TenantDb;
  otherDb: TenantDb;
}

/**
 * Registers the suite's `beforeAll`/`afterAll`: a managed tenant database on the driver's server,
 * migrated and marked provisioned, dropped afterwards. The fields are set once `beforeAll` ran;
 * a suite copies them in a `beforeAll` of its own, registered after this call.
 */
export function useMigratedTenant(serverFactory: ServerFactory): MigratedTenant {
  const fixture = {} as MigratedTenant;
  beforeAll(async () => {
    fixture.server = await serverFactory();
    const options = { serverUrl: fixture.server.serverUrl, maxOpen: 4, idleMs: 60_000 };
    fixture.pools = createTenantPools(options);
    fixture.otherPools = createTenantPools(options);
    fixture.info = { tenantId: newId(), database: { mode: 'managed' } };
    await ensureManagedDatabase(fixture.server.serverUrl, fixture.info.tenantId);
    await fixture.pools.migrate(fixture.info);
    fixture.db = fixture.pools.get(fixture.info);
    fixture.otherDb = fixture.otherPools.get(fixture.info);
    await fixture.db.meta.markProvisioned(fixture.info.tenantId);
  });
  afterAll(async () => {
    await fixture.otherPools.closeAll();
    await fixture.pools.closeAll();
    await dropManagedDatabase(fixture.server.serverUrl, fixture.info.tenantId);
    await fixture.server.cleanup();
  });
  return fixture;
}
