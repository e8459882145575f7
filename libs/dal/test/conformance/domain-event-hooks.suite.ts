import type { TenantConnectionInfo, TenantDb, TenantPools } from '../../src/index';
import { createTenantPools, dropManagedDatabase, ensureManagedDatabase } from '../../src/index';
import type { ServerFactory, ServerFixture } from '../support/fixtures';
import { newId, sleep, waitFor } from '../support/fixtures';

/**
 * The outbox relay is woken once a domain event is committed. Inside a nested transaction that is
 * the outermost COMMIT, not the savepoint's release: woken earlier, the relay would look for a row
 * no other connection can see yet and go back to sleep until its sweep.
 */
export function describeDomainEventHooks(driver: string, serverFactory: ServerFactory): void {
  describe(`${driver}: domain events wake the relay after the outermost commit`, () => {
    let server: ServerFixture;
    let pools: TenantPools;
    let info: TenantConnectionInfo;
    let db: TenantDb;
    const woken: string[] = [];
    const event = () => ({ id: newId(), type: 'user.updated', payload: { n: 1 } });
    /** Long enough for any `.then` on a settled transaction to have run. */
    const settle = () => sleep(25);

    beforeAll(async () => {
      server = await serverFactory();
      pools = createTenantPools({
        serverUrl: server.serverUrl,
        maxOpen: 2,
        idleMs: 60_000,
        domainEvents: { committed: (tenantId) => void woken.push(tenantId) },
      });
      info = { tenantId: newId(), database: { mode: 'managed' } };
      await ensureManagedDatabase(server.serverUrl, info.tenantId);
      await pools.migrate(info);
      db = pools.get(info);
    });
    afterAll(async () => {
      await pools.closeAll();
      await dropManagedDatabase(server.serverUrl, info.tenantId);
      await server.cleanup();
    });
    beforeEach(() => {
      woken.length = 0;
    });

    it('wakes it once the outer transaction commits, not when the savepoint is released', async () => {
      let seenInside = -1;
      await db.transaction(async (tx) => {
        await tx.transaction((inner) => inner.domainEvents.append(event()));
        await settle();
        seenInside = woken.length;
      });
      expect(seenInside).toBe(0);
      await waitFor(() => woken.length === 1);
      expect(woken).toEqual([info.tenantId]);
    });

    it('never wakes it when the outer transaction rolls back', async () => {
      const rolledBack = event();
      await expect(
        db.transaction(async (tx) => {
          await tx.transaction((inner) => inner.domainEvents.append(rolledBack));
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      await settle();
      expect(woken).toEqual([]);
      const unsent = await db.domainEvents.listUnsent(100);
      expect(unsent.map((row) => row.id)).not.toContain(rolledBack.id);
    });

    it('wakes it at once outside a transaction, and on a plain commit', async () => {
      await db.domainEvents.append(event());
      expect(woken).toHaveLength(1);
      await db.transaction((tx) => tx.domainEvents.append(event()));
      await waitFor(() => woken.length === 2);
    });
  });
}
