import { createHash } from 'node:crypto';
import type { TenantConnectionInfo, TenantDb, TenantPools } from '../../src/index';
import {
  ConflictError,
  InvalidCursorError,
  NotFoundError,
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
import { newId, suffix, waitFor } from '../support/fixtures';

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/** The tenant pools and every tenant repository method, on one driver. */
export function describeTenantPools(
  driverName: string,
  serverFactory: ServerFactory,
  databaseFactory: DatabaseFactory,
): void {
  describe(`tenant databases on ${driverName}`, () => {
    let server: ServerFixture;
    let pools: TenantPools;
    const managedTenants: string[] = [];
    const externalDbs: DatabaseFixture[] = [];
    const allPools: TenantPools[] = [];

    const managed = (tenantId = newId()): TenantConnectionInfo => {
      managedTenants.push(tenantId);
      return { tenantId, database: { mode: 'managed' } };
    };

    const provision = async (info: TenantConnectionInfo, on = pools): Promise<TenantDb> => {
      await ensureManagedDatabase(server.serverUrl, info.tenantId);
      await on.migrate(info);
      const db = on.get(info);
      await db.meta.markProvisioned(info.tenantId);
      return db;
    };

    const newPools = (maxOpen: number, idleMs: number): TenantPools => {
      const r = createTenantPools({ serverUrl: server.serverUrl, maxOpen, idleMs });
      allPools.push(r);
      return r;
    };

    let info: TenantConnectionInfo;
    let db: TenantDb;

    beforeAll(async () => {
      server = await serverFactory();
      pools = newPools(10, 60_000);
      info = managed();
      db = await provision(info);
    });

    afterAll(async () => {
      await Promise.all(allPools.map((r) => r.closeAll()));
      for (const tenantId of managedTenants) await dropManagedDatabase(server.serverUrl, tenantId);
      for (const fixture of externalDbs) await fixture.cleanup();
      await server.cleanup();
    });

    const newUser = (email = `u-${suffix()}@example.com`) =>
      db.users.create({ id: newId(), email, emailNormalized: email.toLowerCase(), name: 'Ada' });

    describe('tenant pools', () => {
      it('inspects: empty, then our unclaimed schema, then ours', async () => {
        const fresh = managed();
        await ensureManagedDatabase(server.serverUrl, fresh.tenantId);
        expect(await pools.inspect(fresh)).toBe('empty');
        const applied = await pools.migrate(fresh);
        expect(applied.length).toBeGreaterThan(0);
        expect(await pools.migrate(fresh)).toEqual([]);
        expect(await pools.inspect(fresh)).toBe('empty');
        await pools.get(fresh).meta.markProvisioned(fresh.tenantId);
        expect(await pools.inspect(fresh)).toBe('ours');
      });

      it('sees another tenant’s database as foreign', async () => {
        const fixture = await databaseFactory();
        externalDbs.push(fixture);
        const first: TenantConnectionInfo = {
          tenantId: newId(),
          database: { mode: 'external', url: fixture.url },
        };
        await pools.migrate(first);
        await pools.get(first).meta.markProvisioned(first.tenantId);
        expect(await pools.inspect(first)).toBe('ours');
        const second: TenantConnectionInfo = {
          tenantId: newId(),
          database: { mode: 'external', url: fixture.url },
        };
        expect(await pools.inspect(second)).toBe('foreign');
        await expect(
          pools.get(second).meta.markProvisioned(second.tenantId),
        ).rejects.toBeInstanceOf(ConflictError);
        await Promise.all([pools.close(first.tenantId), pools.close(second.tenantId)]);
      });

      it('sees a database holding other tables as foreign', async () => {
        const fixture = await databaseFactory();
        externalDbs.push(fixture);
        const knex = createKnex(fixture.url);
        await migrateControlPlane(knex);
        await knex.destroy();
        const ext: TenantConnectionInfo = {
          tenantId: newId(),
          database: { mode: 'external', url: fixture.url },
        };
        expect(await pools.inspect(ext)).toBe('foreign');
        await pools.close(ext.tenantId);
      });

      it('rolls a tenant database back to empty', async () => {
        const t = managed();
        await ensureManagedDatabase(server.serverUrl, t.tenantId);
        await pools.migrate(t);
        await pools.rollback(t);
        expect(await pools.inspect(t)).toBe('empty');
        expect((await pools.migrate(t)).length).toBeGreaterThan(0);
      });

      it('keeps tenants apart', async () => {
        const other = await provision(managed());
        const u = await newUser();
        expect(await other.users.findById(u.id)).toBeUndefined();
        expect(await other.users.findByEmailNormalized(u.emailNormalized)).toBeUndefined();
        expect(other.tenantId).not.toBe(db.tenantId);
        await other.ping();
      });

      it('keeps at most maxOpen pools, least recently used closed first', async () => {
        const small = newPools(2, 60_000);
        const tenants = [managed(), managed(), managed()];
        for (const t of tenants) await ensureManagedDatabase(server.serverUrl, t.tenantId);
        const handles = tenants.map((t) => small.get(t));
        expect(small.openCount()).toBe(0);
        await handles[0]!.ping();
        await handles[1]!.ping();
        await handles[0]!.ping();
        await handles[2]!.ping();
        expect(small.openCount()).toBe(2);
        // tenant 1 was least recently used and got closed; its handle re-opens transparently.
        await handles[1]!.ping();
        expect(small.openCount()).toBe(2);
        await small.close(tenants[1]!.tenantId);
        expect(small.openCount()).toBe(1);
        await small.closeAll();
        expect(small.openCount()).toBe(0);
      });

      it('closes a pool left idle', async () => {
        const idle = newPools(5, 50);
        const t = managed();
        await ensureManagedDatabase(server.serverUrl, t.tenantId);
        await idle.get(t).ping();
        expect(idle.openCount()).toBe(1);
        await waitFor(() => idle.openCount() === 0);
      });

      it('refuses a tenant id that is not a UUID', () => {
        expect(() => pools.get({ tenantId: '../etc', database: { mode: 'managed' } })).toThrow(
          TypeError,
        );
      });
    });

    describe('meta', () => {
      it('reads the provisioning marker and re-marks idempotently', async () => {
        const meta = await db.meta.get();
        expect(meta?.tenantId).toBe(info.tenantId);
        expect(meta?.provisionedAt).toBeInstanceOf(Date);
        expect(await db.meta.markProvisioned(info.tenantId)).toEqual(meta);
        await expect(db.meta.markProvisioned(newId())).rejects.toBeInstanceOf(ConflictError);
      });
    });

    describe('users and credentials', () => {
      it('creates, finds, updates and deletes users', async () => {
        const u = await newUser('Mixed.Case@Example.com');
        expect(u).toMatchObject({
          email: 'Mixed.Case@Example.com',
          emailNormalized: 'mixed.case@example.com',
          status: 'active',
          emailVerified: false,
          metadata: {},
        });
        expect(u.createdAt).toBeInstanceOf(Date);
        expect(await db.users.findById(u.id)).toEqual(u);
        expect(await db.users.findByEmailNormalized('mixed.case@example.com')).toEqual(u);
        expect(await db.users.findByEmailNormalized('MIXED.case@example.com')).toBeUndefined();

        const updated = await db.users.update(u.id, {
          name: null,
          metadata: { plan: 'pro', tags: ['a'] },
          status: 'disabled',
          emailVerified: true,
        });
        expect(updated).toMatchObject({
          name: null,
          metadata: { plan: 'pro', tags: ['a'] },
          status: 'disabled',
          emailVerified: true,
        });
        expect(typeof updated?.emailVerified).toBe('boolean');
        expect(await db.users.update(newId(), { name: 'x' })).toBeUndefined();

        await expect(newUser('Mixed.Case@Example.com')).rejects.toBeInstanceOf(ConflictError);
        expect(await db.users.delete(u.id)).toBe(true);
        expect(await db.users.delete(u.id)).toBe(false);
      });

      it('lists by email prefix (wildcards are literal), pages and counts', async () => {
        const tag = suffix();
        const made = [
          await newUser(`p_${tag}a@example.com`),
          await newUser(`p_${tag}b@example.com`),
          await newUser(`p%${tag}c@example.com`),
        ];
        const underscore = await db.users.list({ limit: 10, email: `P_${tag}` });
        expect(underscore.rows.map((r) => r.id).sort()).toEqual([made[0]!.id, made[1]!.id].sort());
        const percent = await db.users.list({ limit: 10, email: `p%${tag}` });
        expect(percent.rows.map((r) => r.id)).toEqual([made[2]!.id]);

        const first = await db.users.list({ limit: 1, email: `p_${tag}` });
        expect(first.rows).toHaveLength(1);
        const second = await db.users.list({
          limit: 1,
          email: `p_${tag}`,
          cursor: first.nextCursor!,
        });
        expect(second.rows).toHaveLength(1);
        expect(second.rows[0]!.id).not.toBe(first.rows[0]!.id);
        expect(second.nextCursor).toBeNull();
        await expect(db.users.list({ limit: 1, cursor: 'bad!' })).rejects.toBeInstanceOf(
          InvalidCursorError,
        );

        const before = await db.users.count();
        await newUser();
        expect(await db.users.count()).toBe(before + 1);
      });

      it('sets, replaces and reads a password hash', async () => {
        const u = await newUser();
        expect(await db.credentials.getPasswordHash(u.id)).toBeUndefined();
        await db.credentials.setPassword(u.id, 'hash-1');
        expect(await db.credentials.getPasswordHash(u.id)).toBe('hash-1');
        await db.credentials.setPassword(u.id, 'hash-2');
        expect(await db.credentials.getPasswordHash(u.id)).toBe('hash-2');
        await expect(db.credentials.setPassword(newId(), 'h')).rejects.toBeInstanceOf(
          NotFoundError,
        );
      });
    });

    describe('sessions and refresh tokens', () => {
      const newSession = async (userId: string, expiresAt = new Date(Date.now() + 3_600_000)) =>
        db.sessions.create({ id: newId(), userId, expiresAt, userAgent: 'jest', ip: '127.0.0.1' });

      it('creates, touches, revokes and lists sessions', async () => {
        const u = await newUser();
        const s1 = await newSession(u.id);
        const s2 = await newSession(u.id);
        const s3 = await newSession(u.id);
        await newSession(u.id, new Date(Date.now() - 1000));
        expect(s1.revokedAt).toBeNull();
        expect(await db.sessions.findById(s1.id)).toEqual(s1);

        const later = new Date(Date.now() + 5000);
        expect(await db.sessions.touch(s1.id, later)).toBe(true);
        expect((await db.sessions.findById(s1.id))?.lastUsedAt).toEqual(later);
        const extended = new Date(Date.now() + 7_200_000);
        expect(await db.sessions.touch(s1.id, later, extended)).toBe(true);
        expect((await db.sessions.findById(s1.id))?.expiresAt).toEqual(extended);

        expect(await db.sessions.revoke(s2.id, 'sign_out')).toBe(true);
        expect(await db.sessions.revoke(s2.id, 'sign_out')).toBe(false);
        const revoked = await db.sessions.findById(s2.id);
        expect(revoked?.revokedAt).toBeInstanceOf(Date);
        expect(revoked?.revokeReason).toBe('sign_out');
        expect(await db.sessions.touch(s2.id, new Date())).toBe(false);

        const active = await db.sessions.listActiveForUser(u.id);
        expect(active.map((s) => s.id).sort()).toEqual([s1.id, s3.id].sort());
        expect(active[0]?.id).toBe(s1.id);

        // Live sessions only: the expired one is left as it is.
        expect(await db.sessions.revokeAllForUserListed(u.id, 'password_changed', s1.id)).toEqual([
          s3.id,
        ]);
        expect((await db.sessions.listActiveForUser(u.id)).map((s) => s.id)).toEqual([s1.id]);
        await expect(newSession(newId())).rejects.toBeInstanceOf(NotFoundError);
      });

      it("revokes a user's live sessions and lists exactly the ids it revoked", async () => {
        const u = await newUser();
        const other = await newUser();
        const kept = await newSession(u.id);
        const live = [await newSession(u.id), await newSession(u.id)];
        const already = await newSession(u.id);
        await db.sessions.revoke(already.id, 'sign_out');
        await newSession(u.id, new Date(Date.now() - 1000)); // expired: nothing to end
        const stranger = await newSession(other.id);

        const ids = await db.sessions.revokeAllForUserListed(u.id, 'password_changed', kept.id);
        expect([...ids].sort()).toEqual(live.map((s) => s.id).sort());
        expect((await db.sessions.findById(live[0]?.id ?? ''))?.revokeReason).toBe(
          'password_changed',
        );
        expect((await db.sessions.findById(already.id))?.revokeReason).toBe('sign_out');
        expect((await db.sessions.listActiveForUser(u.id)).map((s) => s.id)).toEqual([kept.id]);
        expect((await db.sessions.findById(stranger.id))?.revokedAt).toBeNull();
        // Nothing left to revoke: an empty answer, inside a caller's transaction too.
        expect(
          await db.transaction((tx) =>
            tx.sessions.revokeAllForUserListed(u.id, 'sign_out_all', kept.id),
          ),
        ).toEqual([]);
        expect(await db.sessions.revokeAllForUserListed(u.id, 'sign_out_all')).toEqual([kept.id]);
      });

      it('lists each session once when two revocations of the user race', async () => {
        const u = await newUser();
        const ids = [];
        for (let i = 0; i < 4; i += 1) ids.push((await newSession(u.id)).id);
        const [one, two] = await Promise.all([
          db.sessions.revokeAllForUserListed(u.id, 'sign_out_all'),
          db.sessions.revokeAllForUserListed(u.id, 'password_reset'),
        ]);
        expect([...one, ...two].sort()).toEqual(ids.sort());
      });

      it('rotates refresh tokens; only one concurrent markUsed wins', async () => {
        const u = await newUser();
        const s = await newSession(u.id);
        const hash = sha256(newId());
        const token = await db.refreshTokens.create({
          id: newId(),
          sessionId: s.id,
          tokenHash: hash,
          parentId: null,
          expiresAt: new Date(Date.now() + 3_600_000),
        });
        expect(token.usedAt).toBeNull();
        expect(await db.refreshTokens.findByHash(hash)).toEqual(token);
        expect(await db.refreshTokens.findById(token.id)).toEqual(token);
        expect(await db.refreshTokens.findByHash(sha256('other'))).toBeUndefined();
        await expect(
          db.refreshTokens.create({ ...token, id: newId(), tokenHash: hash }),
        ).rejects.toBeInstanceOf(ConflictError);
        await expect(
          db.refreshTokens.create({ ...token, id: newId(), tokenHash: 'NOT-HEX' }),
        ).rejects.toBeInstanceOf(TypeError);

        const results = await Promise.all(
          Array.from({ length: 5 }, () => db.refreshTokens.markUsed(token.id, newId())),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        const spent = await db.refreshTokens.findById(token.id);
        expect(spent?.usedAt).toBeInstanceOf(Date);
        expect(spent?.replacedBy).not.toBeNull();
        expect(spent?.successorEncrypted).toBeNull();

        const next = await db.refreshTokens.create({
          id: newId(),
          sessionId: s.id,
          tokenHash: sha256(newId()),
          parentId: token.id,
          expiresAt: new Date(Date.now() + 3_600_000),
        });
        expect(next.successorEncrypted).toBeNull();
        expect(await db.refreshTokens.markUsed(next.id, newId(), 'v1.sealed')).toBe(true);
        expect((await db.refreshTokens.findById(next.id))?.successorEncrypted).toBe('v1.sealed');
        await db.refreshTokens.clearSuccessor(next.id);
        expect((await db.refreshTokens.findById(next.id))?.successorEncrypted).toBeNull();

        await db.users.delete(u.id);
        expect(await db.sessions.findById(s.id)).toBeUndefined();
        expect(await db.refreshTokens.findById(token.id)).toBeUndefined();
      });
      const newToken = (sessionId: string, parentId: string | null = null) =>
        db.refreshTokens.create({
          id: newId(),
          sessionId,
          tokenHash: sha256(newId()),
          parentId,
          expiresAt: new Date(Date.now() + 3_600_000),
        });

      it('reads a refresh token together with its session', async () => {
        const u = await newUser();
        const s = await newSession(u.id);
        const token = await newToken(s.id);
        const found = await db.refreshTokens.findWithSession(token.tokenHash);
        expect(found).toEqual({ token, session: await db.sessions.findById(s.id) });
        expect(await db.refreshTokens.findWithSession(sha256('unknown'))).toBeUndefined();
      });

      it('rotates in one step: spend, successor, parent cleared, session touched', async () => {
        const u = await newUser();
        const s = await newSession(u.id);
        const parent = await newToken(s.id);
        const presented = await newToken(s.id, parent.id);
        expect(await db.refreshTokens.markUsed(parent.id, presented.id, 'v1.sealed-parent')).toBe(
          true,
        );
        const now = new Date(Date.now() + 1000);
        const sessionExpiresAt = new Date(Date.now() + 7_200_000);
        const successor = {
          id: newId(),
          sessionId: s.id,
          tokenHash: sha256(newId()),
          expiresAt: sessionExpiresAt,
        };
        const rotation = {
          presentedId: presented.id,
          parentId: parent.id,
          successor,
          successorEncrypted: 'v1.sealed',
          now,
          sessionExpiresAt,
        };
        expect(await db.refreshTokens.rotate(rotation)).toBe(true);
        const spent = await db.refreshTokens.findById(presented.id);
        expect(spent).toMatchObject({ usedAt: now, replacedBy: successor.id });
        expect(spent?.successorEncrypted).toBe('v1.sealed');
        expect(await db.refreshTokens.findById(successor.id)).toMatchObject({
          parentId: presented.id,
          sessionId: s.id,
          tokenHash: successor.tokenHash,
          expiresAt: sessionExpiresAt,
          usedAt: null,
        });
        expect((await db.refreshTokens.findById(parent.id))?.successorEncrypted).toBeNull();
        expect(await db.sessions.findById(s.id)).toMatchObject({
          lastUsedAt: now,
          expiresAt: sessionExpiresAt,
        });

        // Spent already: nothing changes, the second successor is never stored.
        const again = {
          ...rotation,
          successor: { ...successor, id: newId(), tokenHash: sha256(newId()) },
        };
        expect(await db.refreshTokens.rotate(again)).toBe(false);
        expect(await db.refreshTokens.findById(again.successor.id)).toBeUndefined();
        expect((await db.refreshTokens.findById(presented.id))?.replacedBy).toBe(successor.id);

        // No new expiry (fixed sessions) and no parent: only the last use moves.
        const first = await newToken(s.id);
        const later = new Date(Date.now() + 2000);
        expect(
          await db.refreshTokens.rotate({
            presentedId: first.id,
            parentId: null,
            successor: { ...successor, id: newId(), tokenHash: sha256(newId()) },
            successorEncrypted: null,
            now: later,
          }),
        ).toBe(true);
        expect(await db.sessions.findById(s.id)).toMatchObject({
          lastUsedAt: later,
          expiresAt: sessionExpiresAt,
        });
      });

      it('lets exactly one of two racing rotations of one token win', async () => {
        const u = await newUser();
        const s = await newSession(u.id);
        const presented = await newToken(s.id);
        const attempt = () => ({
          presentedId: presented.id,
          parentId: null,
          successor: {
            id: newId(),
            sessionId: s.id,
            tokenHash: sha256(newId()),
            expiresAt: new Date(Date.now() + 3_600_000),
          },
          successorEncrypted: null,
          now: new Date(),
        });
        const [one, two] = [attempt(), attempt()];
        const results = await Promise.all([
          db.refreshTokens.rotate(one),
          db.refreshTokens.rotate(two),
        ]);
        expect(results.filter(Boolean)).toHaveLength(1);
        const [winner, loser] = results[0] ? [one, two] : [two, one];
        expect((await db.refreshTokens.findById(presented.id))?.replacedBy).toBe(
          winner.successor.id,
        );
        expect(await db.refreshTokens.findById(winner.successor.id)).toBeDefined();
        // The loser left nothing behind: to its caller it is a spent token (reuse).
        expect(await db.refreshTokens.findById(loser.successor.id)).toBeUndefined();
      });

      it('tells whether a user has more live sessions than a count', async () => {
        const u = await newUser();
        expect(await db.sessions.hasActiveBeyond(u.id, 0)).toBe(false);
        const s1 = await newSession(u.id);
        await newSession(u.id);
        await newSession(u.id, new Date(Date.now() - 1000)); // expired: not counted
        expect(await db.sessions.hasActiveBeyond(u.id, 1)).toBe(true);
        expect(await db.sessions.hasActiveBeyond(u.id, 2)).toBe(false);
        await db.sessions.revoke(s1.id, 'sign_out'); // revoked: not counted
        expect(await db.sessions.hasActiveBeyond(u.id, 1)).toBe(false);
        expect(await db.sessions.hasActiveBeyond(u.id, 0)).toBe(true);
        await expect(db.sessions.hasActiveBeyond(u.id, -1)).rejects.toBeInstanceOf(RangeError);
      });
    });

    describe('signing keys', () => {
      it('inserts, lists, finds the active key and moves keys through their states', async () => {
        const base = {
          alg: 'EdDSA',
          use: 'sig',
          publicJwk: { kty: 'OKP', crv: 'Ed25519', x: 'x' },
          privateKeyEncrypted: 'enc',
          activatesAt: null,
          retiresAt: null,
        };
        const next = await db.signingKeys.insert({ ...base, kid: `k-${suffix()}`, status: 'next' });
        expect(await db.signingKeys.findActive()).toBeUndefined();
        const at = new Date(Date.now() + 1000);
        expect(await db.signingKeys.setStatus(next.kid, 'active', at)).toBe(true);
        const active = await db.signingKeys.findActive();
        expect(active?.kid).toBe(next.kid);
        expect(active?.activatesAt).toEqual(at);
        expect(active?.publicJwk).toEqual(base.publicJwk);
        expect(await db.signingKeys.setStatus(next.kid, 'retiring')).toBe(true);
        const all = await db.signingKeys.listAll();
        expect(all.find((k) => k.kid === next.kid)?.retiresAt).toBeInstanceOf(Date);
        expect(await db.signingKeys.setStatus('missing', 'retired')).toBe(false);
        await expect(
          db.signingKeys.insert({ ...base, kid: next.kid, status: 'next' }),
        ).rejects.toBeInstanceOf(ConflictError);
      });
    });

    describe('audit log and transactions', () => {
      it('inserts and lists tenant audit entries', async () => {
        const u = await newUser();
        const entry = await db.auditLog.insert({
          actor: `user:${u.id}`,
          action: 'user.sign_in',
          outcome: 'success',
          userId: u.id,
          ip: '::1',
          details: { mfa: false },
        });
        expect(entry.createdAt).toBeInstanceOf(Date);
        const page = await db.auditLog.list({ limit: 10, userId: u.id });
        expect(page.rows).toEqual([entry]);
      });

      it('commits or rolls back a tenant transaction as a whole', async () => {
        const email = `tx-${suffix()}@example.com`;
        await expect(
          db.transaction(async (tx) => {
            const u = await tx.users.create({
              id: newId(),
              email,
              emailNormalized: email,
              name: null,
            });
            await tx.credentials.setPassword(u.id, 'h');
            throw new Error('rollback');
          }),
        ).rejects.toThrow('rollback');
        expect(await db.users.findByEmailNormalized(email)).toBeUndefined();
        const id = await db.transaction(async (tx) => {
          const u = await tx.users.create({
            id: newId(),
            email,
            emailNormalized: email,
            name: null,
          });
          await tx.credentials.setPassword(u.id, 'h');
          return u.id;
        });
        expect(await db.credentials.getPasswordHash(id)).toBe('h');
      });
    });
  });
}
