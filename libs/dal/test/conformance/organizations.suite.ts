import type { TenantDb, UserRow } from '../../src/index';
import { ConflictError, InvalidCursorError, NotFoundError } from '../../src/index';
import type { ServerFactory } from '../support/fixtures';
import { newId, suffix } from '../support/fixtures';
import { inSeconds, newHash, useMigratedTenant } from '../support/migrated-tenant';

/**
 * Organizations and RBAC on one driver: role keys unique per scope (tenant-wide ones too), user
 * role assignments, organizations with their members, the at-least-one-owner rule under
 * concurrent requests from two replicas, invitations spent once, the session's active
 * organization.
 */
export function describeOrganizations(driverName: string, serverFactory: ServerFactory): void {
  describe(`organizations and RBAC on ${driverName}`, () => {
    let db: TenantDb;
    let otherDb: TenantDb;

    const fixture = useMigratedTenant(serverFactory);
    beforeAll(() => {
      db = fixture.db;
      // SQLite: better-sqlite3 waits for a lock synchronously, so a second pool in this process
      // would block the one holding it; one pool (one connection) is how SQLite serves a tenant.
      otherDb = driverName === 'sqlite' ? fixture.db : fixture.otherDb;
    });

    const newUser = (): Promise<UserRow> => {
      const email = `org-${suffix()}@example.com`;
      return db.users.create({ id: newId(), email, emailNormalized: email, name: 'N' });
    };
    const newOrg = () =>
      db.organizations.create({ id: newId(), slug: `acme-${suffix()}`, name: 'Acme' });
    /** An organization whose members are `owners` owners (and nobody else). */
    const orgWithOwners = async (owners: number) => {
      const org = await newOrg();
      const users: UserRow[] = [];
      for (let i = 0; i < owners; i += 1) {
        const user = await newUser();
        await db.memberships.add({
          id: newId(),
          organizationId: org.id,
          userId: user.id,
          role: 'owner',
        });
        users.push(user);
      }
      return { org, users };
    };

    describe('roles', () => {
      it('keeps tenant-wide keys unique, and org keys unique per organization', async () => {
        const key = `editor-${suffix()}`;
        const role = await db.roles.insert({
          id: newId(),
          organizationId: null,
          key,
          name: 'Editor',
          permissions: ['docs:write'],
        });
        await expect(
          db.roles.insert({
            id: newId(),
            organizationId: null,
            key,
            name: 'Again',
            permissions: [],
          }),
        ).rejects.toBeInstanceOf(ConflictError);
        const org = await newOrg();
        const scoped = await db.roles.insert({
          id: newId(),
          organizationId: org.id,
          key,
          name: 'Org editor',
          permissions: ['docs:read'],
        });
        await expect(
          db.roles.insert({ id: newId(), organizationId: org.id, key, name: 'X', permissions: [] }),
        ).rejects.toBeInstanceOf(ConflictError);
        expect(await db.roles.findByKey(null, key)).toEqual(role);
        expect(await db.roles.findByKey(org.id, key)).toEqual(scoped);
        expect(await db.roles.listForOrganization(org.id)).toEqual([scoped]);
        expect((await db.roles.listTenantWide()).map((r) => r.key)).toContain(key);
      });

      it('updates name and permissions, and deletes', async () => {
        const role = await db.roles.insert({
          id: newId(),
          organizationId: null,
          key: `r-${suffix()}`,
          name: 'R',
          permissions: ['a:b'],
        });
        const updated = await db.roles.update(role.id, { permissions: ['a:b', 'c:d'] });
        expect(updated).toMatchObject({ name: 'R', permissions: ['a:b', 'c:d'] });
        expect(await db.roles.update(newId(), { name: 'x' })).toBeUndefined();
        expect(await db.roles.delete(role.id)).toBe(true);
        expect(await db.roles.delete(role.id)).toBe(false);
        expect(await db.roles.findById(role.id)).toBeUndefined();
      });

      it('deletes an organization with its roles', async () => {
        const org = await newOrg();
        const role = await db.roles.insert({
          id: newId(),
          organizationId: org.id,
          key: 'custom',
          name: 'C',
          permissions: [],
        });
        expect(await db.organizations.delete(org.id)).toBe(true);
        expect(await db.roles.findById(role.id)).toBeUndefined();
      });
    });

    describe('user roles', () => {
      it('assigns once, lists by key, unassigns, and cascades with role and user', async () => {
        const user = await newUser();
        const a = await db.roles.insert({
          id: newId(),
          organizationId: null,
          key: `b-${suffix()}`,
          name: 'B',
          permissions: ['x:y'],
        });
        const b = await db.roles.insert({
          id: newId(),
          organizationId: null,
          key: `a-${suffix()}`,
          name: 'A',
          permissions: ['*'],
        });
        expect(await db.userRoles.assign(user.id, a.id)).toBe(true);
        expect(await db.userRoles.assign(user.id, a.id)).toBe(false);
        expect(await db.userRoles.assign(user.id, b.id)).toBe(true);
        expect((await db.userRoles.listForUser(user.id)).map((r) => r.id)).toEqual([b.id, a.id]);
        expect(await db.userRoles.unassign(user.id, b.id)).toBe(true);
        expect(await db.userRoles.unassign(user.id, b.id)).toBe(false);
        await db.roles.delete(a.id);
        expect(await db.userRoles.listForUser(user.id)).toEqual([]);

        const other = await newUser();
        await db.userRoles.assign(other.id, b.id);
        await db.users.delete(other.id);
        expect(await db.userRoles.listForUser(other.id)).toEqual([]);
      });

      it('refuses an unknown role or user', async () => {
        const user = await newUser();
        await expect(db.userRoles.assign(user.id, newId())).rejects.toBeInstanceOf(NotFoundError);
        const role = await db.roles.insert({
          id: newId(),
          organizationId: null,
          key: `z-${suffix()}`,
          name: 'Z',
          permissions: [],
        });
        await expect(db.userRoles.assign(newId(), role.id)).rejects.toBeInstanceOf(NotFoundError);
      });
    });

    describe('organizations and members', () => {
      it('creates with a unique slug, renames, lists a member’s organizations with their role', async () => {
        const org = await newOrg();
        await expect(
          db.organizations.create({ id: newId(), slug: org.slug, name: 'Dup' }),
        ).rejects.toBeInstanceOf(ConflictError);
        const user = await newUser();
        await db.memberships.add({
          id: newId(),
          organizationId: org.id,
          userId: user.id,
          role: 'admin',
        });
        await expect(
          db.memberships.add({ id: newId(), organizationId: org.id, userId: user.id, role: 'x' }),
        ).rejects.toBeInstanceOf(ConflictError);
        await expect(
          db.memberships.add({ id: newId(), organizationId: newId(), userId: user.id, role: 'x' }),
        ).rejects.toBeInstanceOf(NotFoundError);
        const renamed = await db.organizations.update(org.id, {
          name: 'Acme 2',
          metadata: { a: 1 },
        });
        expect(renamed).toMatchObject({
          id: org.id,
          slug: org.slug,
          name: 'Acme 2',
          metadata: { a: 1 },
        });
        const other = await newOrg();
        await expect(db.organizations.update(other.id, { slug: org.slug })).rejects.toBeInstanceOf(
          ConflictError,
        );
        const mine = await db.organizations.listForUser(user.id);
        expect(mine).toEqual([{ ...renamed, role: 'admin' }]);
        const members = await db.memberships.listForOrganization(org.id);
        expect(members).toEqual([
          expect.objectContaining({ userId: user.id, role: 'admin', email: user.email, name: 'N' }),
        ]);
        expect(await db.memberships.countWithRole(org.id, 'admin')).toBe(1);
        expect(await db.memberships.countWithRole(null, 'admin')).toBeGreaterThanOrEqual(1);
        expect(await db.memberships.countWithRole(null, `none-${suffix()}`)).toBe(0);
        expect(await db.organizations.delete(org.id)).toBe(true);
        expect(await db.memberships.find(org.id, user.id)).toBeUndefined();
        expect(await db.organizations.listForUser(user.id)).toEqual([]);
      });

      it('pages a user’s organizations, an organization’s members and its pending invitations', async () => {
        // Three of each, created in the same millisecond on fast engines: the id breaks ties.
        const user = await newUser();
        const { org, users } = await orgWithOwners(3);
        const orgs = [org, await newOrg(), await newOrg()];
        for (const other of orgs.slice(1)) {
          await db.memberships.add({
            id: newId(),
            organizationId: other.id,
            userId: user.id,
            role: 'member',
          });
        }
        await db.memberships.add({
          id: newId(),
          organizationId: org.id,
          userId: user.id,
          role: 'member',
        });
        const invited: string[] = [];
        for (let i = 0; i < 3; i += 1) {
          const created = await db.invitations.create({
            id: newId(),
            organizationId: org.id,
            emailNormalized: `p${i}-${suffix()}@example.com`,
            role: 'member',
            tokenHash: newHash(),
            invitedBy: null,
            expiresAt: inSeconds(3600),
          });
          invited.push(created.id);
        }
        const all = async (
          read: (
            cursor: string | undefined,
          ) => Promise<{ rows: Array<{ id: string }>; nextCursor: string | null }>,
        ): Promise<string[]> => {
          const ids: string[] = [];
          let cursor: string | undefined;
          for (let page = 0; page < 10; page += 1) {
            const got = await read(cursor);
            expect(got.rows.length).toBeLessThanOrEqual(2);
            ids.push(...got.rows.map((row) => row.id));
            if (got.nextCursor === null) return ids;
            cursor = got.nextCursor;
          }
          throw new Error('never reached the last page');
        };
        const now = new Date();
        expect(
          await all((cursor) => db.organizations.pageForUser(user.id, { limit: 2, cursor })),
        ).toEqual((await db.organizations.listForUser(user.id)).map((o) => o.id));
        const members = await all((cursor) =>
          db.memberships.pageForOrganization(org.id, { limit: 2, cursor }),
        );
        expect(members).toEqual(
          (await db.memberships.listForOrganization(org.id)).map((m) => m.id),
        );
        expect(members).toHaveLength(users.length + 1);
        const pending = await all((cursor) =>
          db.invitations.pagePending(org.id, now, { limit: 2, cursor }),
        );
        expect(pending).toEqual((await db.invitations.listPending(org.id, now)).map((i) => i.id));
        expect([...pending].sort()).toEqual([...invited].sort());
        await expect(
          db.organizations.pageForUser(user.id, { limit: 2, cursor: 'forged' }),
        ).rejects.toBeInstanceOf(InvalidCursorError);
      });

      it('never demotes or removes the last owner, and answers not_found for strangers', async () => {
        const { org, users } = await orgWithOwners(1);
        const [owner] = users as [UserRow];
        expect(await db.memberships.changeRole(org.id, owner.id, 'member')).toBe('last_owner');
        expect(await db.memberships.remove(org.id, owner.id)).toBe('last_owner');
        expect(await db.memberships.remove(org.id, newId())).toBe('not_found');
        expect(await db.memberships.remove(newId(), owner.id)).toBe('not_found');
        expect(await db.memberships.changeRole(newId(), owner.id, 'x')).toBe('not_found');

        // Transfer: make another owner, then step down.
        const next = await newUser();
        await db.memberships.add({
          id: newId(),
          organizationId: org.id,
          userId: next.id,
          role: 'member',
        });
        expect(await db.memberships.changeRole(org.id, next.id, 'owner')).toMatchObject({
          userId: next.id,
          role: 'owner',
        });
        expect(await db.memberships.changeRole(org.id, owner.id, 'member')).toMatchObject({
          role: 'member',
        });
        expect(await db.memberships.remove(org.id, owner.id)).toBe('removed');
        expect(await db.memberships.remove(org.id, next.id)).toBe('last_owner');
      });

      it('keeps one owner when two replicas remove the last two owners at once', async () => {
        for (let round = 0; round < 5; round += 1) {
          const { org, users } = await orgWithOwners(2);
          const [a, b] = users as [UserRow, UserRow];
          const results = await Promise.all([
            db.memberships.remove(org.id, a.id),
            otherDb.memberships.remove(org.id, b.id),
          ]);
          expect([...results].sort()).toEqual(['last_owner', 'removed']);
          expect(await db.memberships.countWithRole(org.id, 'owner')).toBe(1);
        }
      });

      it('refuses to delete a user who is the only owner of an organization', async () => {
        const { org, users } = await orgWithOwners(1);
        const [owner] = users as [UserRow];
        const shared = await orgWithOwners(2);
        await db.memberships.add({
          id: newId(),
          organizationId: shared.org.id,
          userId: owner.id,
          role: 'owner',
        });
        expect(await db.users.deleteKeepingOrganizationOwners(owner.id)).toEqual({
          soleOwnerOf: [{ id: org.id, slug: org.slug, name: org.name }],
        });
        expect(await db.users.findById(owner.id)).toBeDefined();
        expect(await db.memberships.countWithRole(shared.org.id, 'owner')).toBe(3);

        const next = await newUser();
        await db.memberships.add({
          id: newId(),
          organizationId: org.id,
          userId: next.id,
          role: 'owner',
        });
        expect(await db.users.deleteKeepingOrganizationOwners(owner.id)).toBe('deleted');
        expect(await db.users.findById(owner.id)).toBeUndefined();
        expect(await db.memberships.countWithRole(org.id, 'owner')).toBe(1);
        expect(await db.users.deleteKeepingOrganizationOwners(owner.id)).toBe('not_found');
      });

      it('keeps one owner when two replicas delete the last two owners at once', async () => {
        for (let round = 0; round < 5; round += 1) {
          const { org, users } = await orgWithOwners(2);
          const [a, b] = users as [UserRow, UserRow];
          const results = await Promise.all([
            db.users.deleteKeepingOrganizationOwners(a.id),
            otherDb.memberships.remove(org.id, b.id),
          ]);
          const refused = results.filter((r) => r === 'last_owner' || typeof r === 'object');
          expect(refused).toHaveLength(1);
          expect(await db.memberships.countWithRole(org.id, 'owner')).toBe(1);

          const both = await orgWithOwners(2);
          const deletions = await Promise.all(
            both.users.map((user, i) =>
              (i % 2 ? otherDb : db).users.deleteKeepingOrganizationOwners(user.id),
            ),
          );
          expect(deletions.filter((r) => r === 'deleted')).toHaveLength(1);
          expect(await db.memberships.countWithRole(both.org.id, 'owner')).toBe(1);
        }
      });

      it('keeps one owner when owners demote each other at once', async () => {
        for (let round = 0; round < 5; round += 1) {
          const { org, users } = await orgWithOwners(3);
          const results = await Promise.all(
            users.map((user, i) =>
              (i % 2 ? otherDb : db).memberships.changeRole(org.id, user.id, 'member'),
            ),
          );
          expect(results.filter((r) => r === 'last_owner')).toHaveLength(1);
          expect(await db.memberships.countWithRole(org.id, 'owner')).toBe(1);
        }
      });
    });

    describe('invitations', () => {
      it('lists pending ones, revokes, and is accepted once under concurrency', async () => {
        const org = await newOrg();
        const invite = (expiresAt: Date) =>
          db.invitations.create({
            id: newId(),
            organizationId: org.id,
            emailNormalized: `i-${suffix()}@example.com`,
            role: 'member',
            tokenHash: newHash(),
            invitedBy: null,
            expiresAt,
          });
        const live = await invite(inSeconds(3600));
        const expired = await invite(inSeconds(-1));
        const revoked = await invite(inSeconds(3600));
        expect(await db.invitations.revoke(org.id, revoked.id, new Date())).toBe(true);
        expect(await db.invitations.revoke(org.id, revoked.id, new Date())).toBe(false);
        expect(await db.invitations.revoke(newId(), live.id, new Date())).toBe(false);
        expect((await db.invitations.listPending(org.id, new Date())).map((i) => i.id)).toEqual([
          live.id,
        ]);
        expect(await db.invitations.findByTokenHash(live.tokenHash)).toEqual(live);
        expect(await db.invitations.findById(org.id, live.id)).toEqual(live);
        expect(await db.invitations.findById(newId(), live.id)).toBeUndefined();

        expect(await db.invitations.accept(expired.id, new Date())).toBe(false);
        expect(await db.invitations.accept(revoked.id, new Date())).toBe(false);
        const results = await Promise.all(
          Array.from({ length: 6 }, (_, i) =>
            (i % 2 ? otherDb : db).invitations.accept(live.id, new Date()),
          ),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await db.invitations.listPending(org.id, new Date())).toEqual([]);
        expect(await db.invitations.revoke(org.id, live.id, new Date())).toBe(false);
      });
    });

    describe('active organization', () => {
      it('is stored on the session and cleared', async () => {
        const user = await newUser();
        const session = await db.sessions.create({
          id: newId(),
          userId: user.id,
          expiresAt: inSeconds(3600),
          userAgent: null,
          ip: null,
        });
        expect(session.organizationId).toBeNull();
        const org = await newOrg();
        expect(await db.sessions.setOrganization(session.id, org.id)).toBe(true);
        expect((await db.sessions.findById(session.id))?.organizationId).toBe(org.id);
        expect(await db.sessions.setOrganization(session.id, null)).toBe(true);
        expect((await db.sessions.findById(session.id))?.organizationId).toBeNull();
        expect(await db.sessions.setOrganization(newId(), org.id)).toBe(false);
      });
    });
  });
}
