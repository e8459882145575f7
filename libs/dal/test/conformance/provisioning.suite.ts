import {
  dropManagedDatabase,
  ensureManagedDatabase,
  managedDatabaseExists,
  managedDatabaseName,
  withProvisioningLock,
} from '../../src/index';
import type { ServerFactory, ServerFixture } from '../support/fixtures';
import { concurrencyProbe, newId, sleep } from '../support/fixtures';

/** Managed database provisioning on one driver. */
export function describeProvisioning(driverName: string, serverFactory: ServerFactory): void {
  describe(`managed provisioning on ${driverName}`, () => {
    let server: ServerFixture;
    const tenants: string[] = [];
    const tenant = (): string => {
      const id = newId();
      tenants.push(id);
      return id;
    };

    beforeAll(async () => {
      server = await serverFactory();
    });

    afterAll(async () => {
      for (const id of tenants) await dropManagedDatabase(server.serverUrl, id);
      await server.cleanup();
    });

    it('names databases only from a validated UUID', () => {
      expect(managedDatabaseName('0B9E8F5E-3C1A-4D2B-9F00-5A6B7C8D9E0F')).toBe(
        'hj_t_0b9e8f5e3c1a4d2b9f005a6b7c8d9e0f',
      );
      for (const bad of ['', 'acme', 'x"; DROP DATABASE postgres; --', '../../etc/passwd']) {
        expect(() => managedDatabaseName(bad)).toThrow(TypeError);
      }
    });

    it('creates a database exactly once under concurrent calls, then drops it', async () => {
      const id = tenant();
      expect(await managedDatabaseExists(server.serverUrl, id)).toBe(false);
      const results = await Promise.all(
        Array.from({ length: 4 }, () => ensureManagedDatabase(server.serverUrl, id)),
      );
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(await managedDatabaseExists(server.serverUrl, id)).toBe(true);
      expect(await ensureManagedDatabase(server.serverUrl, id)).toEqual({ created: false });
      await dropManagedDatabase(server.serverUrl, id);
      expect(await managedDatabaseExists(server.serverUrl, id)).toBe(false);
      await expect(dropManagedDatabase(server.serverUrl, id)).resolves.toBeUndefined();
    });

    it('lets one provisioner at a time hold a tenant’s lock', async () => {
      const id = tenant();
      const probe = concurrencyProbe();
      const results = await Promise.all(
        Array.from({ length: 3 }, (_, i) =>
          withProvisioningLock(server.serverUrl, id, () =>
            probe.run(async () => {
              await sleep(20);
              return i;
            }),
          ),
        ),
      );
      expect(results.sort()).toEqual([0, 1, 2]);
      expect(probe.max).toBe(1);
    });

    it('releases the lock when the work throws', async () => {
      const id = tenant();
      await expect(
        withProvisioningLock(server.serverUrl, id, () => Promise.reject(new Error('fail'))),
      ).rejects.toThrow('fail');
      await expect(
        withProvisioningLock(server.serverUrl, id, () => Promise.resolve(7)),
      ).resolves.toBe(7);
    });
  });
}
