import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { TenantConnectionInfo, TenantDb, TenantPools } from '../../src/index';
import {
  InvalidCursorError,
  createGlobalDb,
  createKnex,
  createTenantPools,
  dropManagedDatabase,
  ensureManagedDatabase,
  migrateControlPlane,
} from '../../src/index';
import type {
  DatabaseFactory,
  DatabaseFixture,
  ServerFactory,
  ServerFixture,
} from '../support/fixtures';
import { allPages, newId, suffix } from '../support/fixtures';

/**
 * @see issue 15 (7): signed pagination cursors (a replica with the same secret accepts them,
 * anything else is `InvalidCursorError`), the paged session list and the per-user session cap,
 * on one driver.
 */
export function describePaging(
  driverName: string,
  serverFactory: ServerFactory,
  databaseFactory: DatabaseFactory,
): void {
  describe(`signed cursors and session paging on ${driverName}`, () => {
    const secret = randomBytes(32);
    let fixture: DatabaseFixture;
    let knex: Knex;
    let other: Knex;
    let server: ServerFixture;
    let pools: TenantPools;
    let info: TenantConnectionInfo;
    let db: TenantDb;

    beforeAll(async () => {
      fixture = await databaseFactory();
      knex = createKnex(fixture.url);
      other = createKnex(fixture.url);
      await migrateControlPlane(knex);
      server = await serverFactory();
      pools = createTenantPools({
        serverUrl: server.serverUrl,
        maxOpen: 4,
        idleMs: 60_000,
        cursorSecret: secret,
      });
      info = { tenantId: newId(), database: { mode: 'managed' } };
      await ensureManagedDatabase(server.serverUrl, info.tenantId);
      await pools.migrate(info);
      db = pools.get(info);
      await db.meta.markProvisioned(info.tenantId);
    });

    afterAll(async () => {
      await pools.closeAll();
      await dropManagedDatabase(server.serverUrl, info.tenantId);
      await server.cleanup();
      await other.destroy();
      await knex.destroy();
      await fixture.cleanup();
    });

    it('accepts a cursor on another replica with the same secret, refuses it otherwise', async () => {
      const a = createGlobalDb(knex, { cursorSecret: secret });
      const replica = createGlobalDb(other, { cursorSecret: Buffer.from(secret) });
      const stranger = createGlobalDb(other, { cursorSecret: randomBytes(32) });
      for (let i = 0; i < 3; i += 1) {
        await a.tenants.create({
          id: newId(),
          slug: `p-${suffix()}`,
          name: 'Paged',
          status: 'active',
          databaseMode: 'managed',
        });
      }
      const first = await a.tenants.list({ limit: 1 });
      const cursor = first.nextCursor ?? '';
      expect((await replica.tenants.list({ limit: 1, cursor })).rows).toHaveLength(1);
      await expect(stranger.tenants.list({ limit: 1, cursor })).rejects.toBeInstanceOf(
        InvalidCursorError,
      );
      await expect(a.admins.list({ limit: 1, cursor: `${cursor}x` })).rejects.toBeInstanceOf(
        InvalidCursorError,
      );
    });

    const newUser = () => {
      const email = `s-${suffix()}@example.com`;
      return db.users.create({ id: newId(), email, emailNormalized: email, name: null });
    };
    const newSession = (userId: string, expiresAt = new Date(Date.now() + 3_600_000)) =>
      db.sessions.create({ id: newId(), userId, expiresAt, userAgent: null, ip: null });

    it('pages active sessions most recently used first, like listActiveForUser', async () => {
      const u = await newUser();
      const ids: string[] = [];
      for (let i = 0; i < 5; i += 1) {
        const s = await newSession(u.id);
        // Distinct, increasing last use: the first created becomes the most recently used.
        await db.sessions.touch(s.id, new Date(Date.now() + (5 - i) * 1000));
        ids.push(s.id);
      }
      const revoked = await newSession(u.id);
      await db.sessions.revoke(revoked.id, 'sign_out');
      await newSession(u.id, new Date(Date.now() - 1000));
      await newSession((await newUser()).id);

      const paged = await allPages((cursor) =>
        db.sessions.pageActiveForUser(u.id, { limit: 2, cursor }),
      );
      expect(paged.map((s) => s.id)).toEqual(ids);
      expect((await db.sessions.listActiveForUser(u.id)).map((s) => s.id)).toEqual(ids);
      await expect(
        db.sessions.pageActiveForUser(u.id, { limit: 2, cursor: 'forged' }),
      ).rejects.toBeInstanceOf(InvalidCursorError);
    });

    it('revokes the least recently used sessions past the cap, keeping the one named', async () => {
      const u = await newUser();
      const bystander = await newUser();
      const theirs = await newSession(bystander.id);
      const ids: string[] = [];
      for (let i = 0; i < 5; i += 1) {
        const s = await newSession(u.id);
        await db.sessions.touch(s.id, new Date(Date.now() + i * 1000));
        ids.push(s.id);
      }
      // ids[0] is the least recently used; keep 3 and always the oldest (as if just started).
      const [oldest, second, third, fourth, newest] = ids;
      const revoked = await db.sessions.revokeLeastRecentlyUsedListed(u.id, {
        keep: 3,
        reason: 'session_limit',
        alwaysKeep: oldest,
      });
      expect(revoked).toHaveLength(2);
      const live = (await db.sessions.listActiveForUser(u.id)).map((s) => s.id);
      expect(live.sort()).toEqual([oldest, fourth, newest].sort());
      for (const id of [second, third]) {
        expect((await db.sessions.findById(id ?? ''))?.revokeReason).toBe('session_limit');
      }
      expect(
        await db.sessions.revokeLeastRecentlyUsedListed(u.id, { keep: 3, reason: 'x' }),
      ).toHaveLength(0);
      expect(
        await db.sessions.revokeLeastRecentlyUsedListed(u.id, { keep: 1, reason: 'x' }),
      ).toHaveLength(2);
      expect((await db.sessions.listActiveForUser(u.id)).map((s) => s.id)).toEqual([newest]);
      expect((await db.sessions.findById(theirs.id))?.revokedAt).toBeNull();
      await expect(
        db.sessions.revokeLeastRecentlyUsedListed(u.id, { keep: 0, reason: 'x' }),
      ).rejects.toBeInstanceOf(RangeError);
    });

    it('lists the ids of the least recently used sessions it revoked', async () => {
      const u = await newUser();
      const ids: string[] = [];
      for (let i = 0; i < 4; i += 1) {
        const s = await newSession(u.id);
        await db.sessions.touch(s.id, new Date(Date.now() + i * 1000));
        ids.push(s.id);
      }
      const [oldest, second, third, newest] = ids;
      const options = { keep: 2, reason: 'session_limit', alwaysKeep: oldest };
      const revoked = await db.sessions.revokeLeastRecentlyUsedListed(u.id, options);
      expect([...revoked].sort()).toEqual([second, third].sort());
      expect(await db.sessions.revokeLeastRecentlyUsedListed(u.id, options)).toEqual([]);
      const live = (await db.sessions.listActiveForUser(u.id)).map((s) => s.id);
      expect(live.sort()).toEqual([oldest, newest].sort());
    });
  });
}
