import type { Knex } from 'knex';
import type { GlobalDb, OutboxRow } from '../../src/index';
import { ConflictError, createGlobalDb, createKnex, migrateControlPlane } from '../../src/index';
import type { DatabaseFactory, DatabaseFixture } from '../support/fixtures';
import { allPages, concurrencyProbe, newId, sleep, suffix } from '../support/fixtures';

/** The transactional outbox, its relay lock, and the audit log, on one driver. */
export function describeOutbox(driverName: string, factory: DatabaseFactory): void {
  describe(`outbox and audit log on ${driverName}`, () => {
    let fixture: DatabaseFixture;
    let knex: Knex;
    let db: GlobalDb;

    beforeAll(async () => {
      fixture = await factory();
      knex = createKnex(fixture.url);
      db = createGlobalDb(knex);
      await migrateControlPlane(knex);
    });

    afterAll(async () => {
      await db.destroy();
      await fixture.cleanup();
    });

    describe('outbox', () => {
      // The outbox is shared by the whole database: drain it so each test sees only its rows.
      const drain = () =>
        db.outbox.withLockedBatch(1000, (rows) => Promise.resolve(rows.map((r) => r.id)));

      beforeEach(async () => {
        await drain();
      });

      it('commits events with the change and discards them on rollback', async () => {
        const tenantId = newId();
        await db.transaction(async (tx) => {
          await tx.tenants.create({
            id: tenantId,
            slug: `o-${suffix()}`,
            name: 'O',
            databaseMode: 'managed',
          });
          await tx.outbox.add({ id: newId(), type: 'tenant.created', tenantId, payload: { a: 1 } });
        });
        expect(await db.outbox.countPending()).toBe(1);

        const failedId = newId();
        await expect(
          db.transaction(async (tx) => {
            await tx.tenants.create({
              id: failedId,
              slug: `o-${suffix()}`,
              name: 'O',
              databaseMode: 'managed',
            });
            await tx.outbox.add({
              id: newId(),
              type: 'tenant.created',
              tenantId: failedId,
              payload: {},
            });
            throw new Error('boom');
          }),
        ).rejects.toThrow('boom');
        expect(await db.tenants.findById(failedId)).toBeUndefined();
        expect(await db.outbox.countPending()).toBe(1);
      });

      it('hands rows over in seq order and marks exactly the ids returned', async () => {
        const ids = [newId(), newId(), newId()];
        for (const [i, id] of ids.entries()) {
          await db.outbox.add({
            id,
            type: 'client.created',
            tenantId: null,
            payload: { i, nested: { ok: true } },
          });
        }
        await expect(
          db.outbox.add({ id: ids[0]!, type: 'x', tenantId: null, payload: {} }),
        ).rejects.toBeInstanceOf(ConflictError);

        let seen: OutboxRow[] = [];
        const marked = await db.outbox.withLockedBatch(10, (rows) => {
          seen = rows;
          return Promise.resolve([ids[0]!, ids[2]!, newId()]);
        });
        expect(marked).toBe(2);
        expect(seen.map((r) => r.id)).toEqual(ids);
        expect(seen.map((r) => r.seq)).toEqual([...seen.map((r) => r.seq)].sort((a, b) => a - b));
        expect(typeof seen[0]?.seq).toBe('number');
        expect(seen[1]?.payload).toEqual({ i: 1, nested: { ok: true } });
        expect(seen[1]?.createdAt).toBeInstanceOf(Date);
        expect(seen[1]?.attempts).toBe(0);

        const next: string[] = [];
        await db.outbox.withLockedBatch(10, (rows) => {
          next.push(...rows.map((r) => r.id));
          return Promise.resolve([]);
        });
        expect(next).toEqual([ids[1]]);
        expect(await db.outbox.countPending()).toBe(1);
      });

      it('leaves rows unsent when publish throws, and records failures', async () => {
        const id = newId();
        await db.outbox.add({ id, type: 'tenant.updated', tenantId: null, payload: {} });
        await expect(
          db.outbox.withLockedBatch(10, () => Promise.reject(new Error('broker down'))),
        ).rejects.toThrow('broker down');
        await db.outbox.recordFailure(id, 'broker down');
        await db.outbox.recordFailure(id, 'x'.repeat(5000));
        let attempts = -1;
        await db.outbox.withLockedBatch(10, (rows) => {
          attempts = rows.find((r) => r.id === id)?.attempts ?? -1;
          return Promise.resolve([]);
        });
        expect(attempts).toBe(2);
        expect(await db.outbox.countPending()).toBe(1);
      });

      it('never publishes a row twice when two relays run at once', async () => {
        const ids = Array.from({ length: 20 }, () => newId());
        for (const id of ids) await db.outbox.add({ id, type: 't', tenantId: null, payload: {} });
        const published: string[] = [];
        const probe = concurrencyProbe();
        // pg/mysql: the second relay has its own pool, like another replica, so only the database
        // lock can keep them apart. SQLite allows one pool per file per process (better-sqlite3
        // waits for locks synchronously), so there both relays share it.
        const other = driverName === 'sqlite' ? db : createGlobalDb(createKnex(fixture.url));
        const relay = async (relayDb: GlobalDb): Promise<void> => {
          for (let i = 0; i < 20; i += 1) {
            const n = await relayDb.outbox.withLockedBatch(3, (rows) =>
              probe.run(async () => {
                await sleep(5);
                published.push(...rows.map((r) => r.id));
                return rows.map((r) => r.id);
              }),
            );
            if (n === 0) return;
          }
        };
        try {
          await Promise.all([relay(db), relay(other)]);
        } finally {
          if (other !== db) await other.destroy();
        }
        expect([...published].sort()).toEqual([...ids].sort());
        expect(published).toEqual(ids);
        expect(probe.max).toBe(1);
      });

      it('purges rows sent before a date', async () => {
        await db.outbox.add({ id: newId(), type: 't', tenantId: null, payload: {} });
        await drain();
        expect(await db.outbox.purgeSent(new Date(Date.now() - 60_000))).toBe(0);
        const purged = await db.outbox.purgeSent(new Date(Date.now() + 60_000));
        expect(purged).toBeGreaterThanOrEqual(1);
        expect(await db.outbox.purgeSent(new Date(Date.now() + 60_000))).toBe(0);
      });
    });

    describe('audit log', () => {
      it('inserts and lists newest first with filters and cursors', async () => {
        const actor = `admin-${suffix()}`;
        const base = Date.now();
        for (let i = 0; i < 3; i += 1) {
          await db.auditLog.insert({
            actor,
            action: i === 2 ? 'tenant.delete' : 'tenant.create',
            target: `tenant:${i}`,
            requestId: `req-${i}`,
            outcome: 'success',
            details: { i },
            createdAt: new Date(base + i * 1000),
          });
        }
        const all = await db.auditLog.list({ limit: 10, actor });
        expect(all.rows.map((r) => r.details)).toEqual([{ i: 2 }, { i: 1 }, { i: 0 }]);
        expect(all.rows[0]?.createdAt).toBeInstanceOf(Date);
        expect(all.rows[0]?.requestId).toBe('req-2');
        const creates = await db.auditLog.list({ limit: 10, actor, action: 'tenant.create' });
        expect(creates.rows).toHaveLength(2);
        const byTarget = await db.auditLog.list({ limit: 10, actor, target: 'tenant:1' });
        expect(byTarget.rows.map((r) => r.target)).toEqual(['tenant:1']);
        const paged = await allPages((cursor) => db.auditLog.list({ limit: 1, actor, cursor }));
        expect(paged.map((r) => r.id)).toEqual(all.rows.map((r) => r.id));
      });
    });
  });
}
