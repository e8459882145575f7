import { randomUUID } from 'node:crypto';
import { useAuthContext } from './support/auth-context';
import { PASSWORD, uniqueEmail, type Tokens } from './support/auth-client';
import type { DpSystem } from './support/dp-system';
import { linkTokenIn, startMailCatcher, type MailCatcher, mailEnv } from './support/mail-catcher';
import { claimsOf } from './support/org-helpers';

interface Member {
  id: string;
  email: string;
  tokens: Tokens;
}

/**
 * Organizations over HTTP (docs/organizations.md): members only (404 for anyone else, other
 * tenants included), roles within the caller's rights, the last owner kept under concurrent
 * requests, custom org roles, invitations mailed over SMTP to an in-process server, and the
 * active organization switched on refresh. `start` runs the data plane with the env given.
 */
export function organizationsSuite(
  name: string,
  start: (env: Record<string, string>) => Promise<DpSystem>,
): void {
  describe(name, () => {
    let mail: MailCatcher;
    // Before useAuthContext's hook: the data plane needs the SMTP server's address.
    beforeAll(async () => {
      mail = await startMailCatcher();
    });
    afterAll(async () => {
      await mail.close();
    });
    const ctx = useAuthContext(() => start(mailEnv(mail)));
    const slug = () => `acme-${randomUUID().slice(0, 8)}`;

    const newOrg = async (owner: Member) =>
      (
        await ctx.api
          .post('/v1/organizations', { name: 'Acme', slug: slug() }, owner.tokens.access_token)
          .expect(201)
      ).body as { id: string; slug: string };
    /** Adds a member directly (invitations have their own tests). */
    const join = (orgId: string, user: Member, role: string) =>
      ctx
        .db(ctx.main)
        .memberships.add({ id: randomUUID(), organizationId: orgId, userId: user.id, role });
    const as = (user: Member) => user.tokens.access_token;

    it('creates an organization whose creator is owner, and lists it as theirs', async () => {
      const alice = await ctx.api.newUser('alice');
      const s = slug();
      const created = await ctx.api
        .post('/v1/organizations', { name: ' Acme Inc ', slug: s }, as(alice))
        .expect(201);
      expect(created.body).toMatchObject({ slug: s, name: 'Acme Inc', role: 'owner' });
      const taken = await ctx.api
        .post('/v1/organizations', { name: 'Other', slug: s }, as(alice))
        .expect(409);
      expect(taken.body.code).toBe('organization_slug_taken');
      for (const bad of ['Upper', '-lead', 'trail-', 'a_b', '']) {
        const res = await ctx.api
          .post('/v1/organizations', { name: 'X', slug: bad }, as(alice))
          .expect(400);
        expect(JSON.stringify(res.body)).toContain('slug');
      }
      await ctx.api.post('/v1/organizations', { name: 'X', slug: slug() }).expect(401);
      const mine = await ctx.api.get('/v1/organizations', as(alice)).expect(200);
      expect(mine.body.data).toEqual([
        expect.objectContaining({ id: created.body.id, role: 'owner' }),
      ]);
      const got = await ctx.api.get(`/v1/organizations/${created.body.id}`, as(alice)).expect(200);
      expect(got.body).toMatchObject({ id: created.body.id, role: 'owner' });
      const log = await ctx.db(ctx.main).auditLog.list({ limit: 10, userId: alice.id });
      expect(log.rows.map((r) => r.action)).toEqual(
        expect.arrayContaining(['organization.created', 'membership.created']),
      );
    });

    it('answers 404 to non-members, unknown ids and other tenants, never 403', async () => {
      const owner = await ctx.api.newUser('owner');
      const stranger = await ctx.api.newUser('stranger');
      const org = await newOrg(owner);
      for (const path of [
        `/v1/organizations/${org.id}`,
        `/v1/organizations/${org.id}/members`,
        `/v1/organizations/${org.id}/roles`,
      ]) {
        const res = await ctx.api.get(path, as(stranger)).expect(404);
        expect(res.body.code).toBe('organization_not_found');
      }
      await ctx.api
        .patch(`/v1/organizations/${org.id}`, { name: 'Mine' }, as(stranger))
        .expect(404);
      await ctx.api.del(`/v1/organizations/${org.id}`, as(stranger)).expect(404);
      await ctx.api
        .del(`/v1/organizations/${org.id}/members/${owner.id}`, as(stranger))
        .expect(404);
      await ctx.api.get(`/v1/organizations/${randomUUID()}`, as(owner)).expect(404);
      const elsewhere = await ctx.otherApi.newUser('elsewhere');
      await ctx.otherApi
        .get(`/v1/organizations/${org.id}`, elsewhere.tokens.access_token)
        .expect(404);
      // The organization's own token cannot be replayed at another tenant either.
      await ctx.otherApi.get(`/v1/organizations/${org.id}`, as(owner)).expect(401);
    });

    it('lets owners and admins manage within their rights', async () => {
      const owner = await ctx.api.newUser('o');
      const admin = await ctx.api.newUser('a');
      const member = await ctx.api.newUser('m');
      const org = await newOrg(owner);
      await join(org.id, admin, 'member');
      await join(org.id, member, 'member');
      const base = `/v1/organizations/${org.id}`;

      const promoted = await ctx.api
        .patch(`${base}/members/${admin.id}`, { role: 'admin' }, as(owner))
        .expect(200);
      expect(promoted.body).toMatchObject({ user_id: admin.id, role: 'admin', email: admin.email });
      // An admin may not make owners, nor touch an owner, nor grant unknown roles.
      const noOwner = await ctx.api
        .patch(`${base}/members/${member.id}`, { role: 'owner' }, as(admin))
        .expect(403);
      expect(noOwner.body.code).toBe('insufficient_role');
      await ctx.api.patch(`${base}/members/${admin.id}`, { role: 'owner' }, as(admin)).expect(403);
      await ctx.api.patch(`${base}/members/${owner.id}`, { role: 'member' }, as(admin)).expect(403);
      await ctx.api.del(`${base}/members/${owner.id}`, as(admin)).expect(403);
      const unknown = await ctx.api
        .patch(`${base}/members/${member.id}`, { role: 'nope' }, as(admin))
        .expect(404);
      expect(unknown.body.code).toBe('role_not_found');
      const notMember = await ctx.api
        .patch(`${base}/members/${randomUUID()}`, { role: 'member' }, as(admin))
        .expect(404);
      expect(notMember.body.code).toBe('member_not_found');
      // A plain member reads but does not manage.
      await ctx.api.get(`${base}/members`, as(member)).expect(200);
      const denied = await ctx.api.patch(base, { name: 'Renamed' }, as(member)).expect(403);
      expect(denied.body.code).toBe('insufficient_role');
      await ctx.api
        .patch(`${base}/members/${admin.id}`, { role: 'member' }, as(member))
        .expect(403);
      // Admins rename; only owners delete.
      const renamed = await ctx.api.patch(base, { name: 'Renamed' }, as(admin)).expect(200);
      expect(renamed.body).toMatchObject({ name: 'Renamed', role: 'admin' });
      await ctx.api.del(base, as(admin)).expect(403);

      const members = await ctx.api.get(`${base}/members`, as(member)).expect(200);
      // Joined in the same millisecond here, so compared without their order.
      expect(members.body.data).toHaveLength(3);
      expect(members.body.data).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ user_id: owner.id, role: 'owner' }),
          expect.objectContaining({ user_id: admin.id, role: 'admin' }),
          expect.objectContaining({ user_id: member.id, role: 'member' }),
        ]),
      );

      // Leaving is deleting yourself; the member's access ends at once.
      await ctx.api.del(`${base}/members/${member.id}`, as(member)).expect(204);
      await ctx.api.get(base, as(member)).expect(404);
      // An admin removes a member.
      await join(org.id, member, 'member');
      await ctx.api.del(`${base}/members/${member.id}`, as(admin)).expect(204);
      const log = await ctx.db(ctx.main).auditLog.list({ limit: 50, action: 'membership.removed' });
      expect(log.rows.filter((r) => r.target === org.id)).toHaveLength(2);

      await ctx.api.del(base, as(owner)).expect(204);
      await ctx.api.get(base, as(owner)).expect(404);
      await ctx.api.get(base, as(admin)).expect(404);
    });

    it('keeps an owner: the last one cannot leave or step down; ownership transfers', async () => {
      const owner = await ctx.api.newUser('solo');
      const next = await ctx.api.newUser('next');
      const org = await newOrg(owner);
      const base = `/v1/organizations/${org.id}`;
      const leave = await ctx.api.del(`${base}/members/${owner.id}`, as(owner)).expect(409);
      expect(leave.body.code).toBe('last_owner');
      await ctx.api.patch(`${base}/members/${owner.id}`, { role: 'admin' }, as(owner)).expect(409);
      await join(org.id, next, 'member');
      await ctx.api.patch(`${base}/members/${next.id}`, { role: 'owner' }, as(owner)).expect(200);
      await ctx.api.patch(`${base}/members/${owner.id}`, { role: 'member' }, as(owner)).expect(200);
      const got = await ctx.api.get(base, as(next)).expect(200);
      expect(got.body.role).toBe('owner');
      await ctx.api.del(`${base}/members/${next.id}`, as(next)).expect(409);

      // Each refusal is in the audit log, denied, with its reason.
      const refused = async (action: 'membership.removed' | 'membership.updated') =>
        (await ctx.db(ctx.main).auditLog.list({ limit: 50, action })).rows.filter(
          (r) => r.target === org.id && r.outcome === 'denied',
        );
      const leaves = await refused('membership.removed');
      expect(leaves.map((r) => [r.actor, r.details])).toEqual(
        expect.arrayContaining([
          [`user:${owner.id}`, { member: owner.id, left: true, reason: 'last_owner' }],
          [`user:${next.id}`, { member: next.id, left: true, reason: 'last_owner' }],
        ]),
      );
      expect(leaves).toHaveLength(2);
      const demotions = await refused('membership.updated');
      expect(demotions.map((r) => r.details)).toEqual([
        { member: owner.id, from: 'owner', to: 'admin', reason: 'last_owner' },
      ]);
    });

    it('never removes the last owner under concurrent requests', async () => {
      for (let round = 0; round < 3; round += 1) {
        const a = await ctx.api.newUser('ca');
        const b = await ctx.api.newUser('cb');
        const org = await newOrg(a);
        await join(org.id, b, 'owner');
        const base = `/v1/organizations/${org.id}/members`;
        const results = await Promise.all([
          ctx.api.del(`${base}/${a.id}`, as(a)),
          ctx.api.del(`${base}/${b.id}`, as(b)),
        ]);
        expect(results.map((r) => r.status).sort()).toEqual([204, 409]);
        expect(await ctx.db(ctx.main).memberships.countWithRole(org.id, 'owner')).toBe(1);
      }
    });

    it('refuses to delete a user (admin or self-service) who is an organization’s only owner', async () => {
      const admin = await ctx.system.cpAdminToken('owner');
      const solo = await ctx.api.newUser('sole');
      const next = await ctx.api.newUser('heir');
      const org = await newOrg(solo);
      await join(org.id, next, 'member');

      const byAdmin = await ctx.api.del(`/v1/admin/users/${solo.id}`, admin).expect(409);
      expect(byAdmin.body.code).toBe('last_owner');
      expect(byAdmin.body.detail).toContain(org.id);
      const bySelf = await ctx.api.del('/v1/me', as(solo), { password: PASSWORD }).expect(409);
      expect(bySelf.body.code).toBe('last_owner');
      expect(bySelf.body.detail).toContain(org.slug);
      await ctx.api.get('/v1/me', as(solo)).expect(200);
      // Both refusals are audited as denied deletions naming the organization that held them.
      const denied = (
        await ctx.db(ctx.main).auditLog.list({ limit: 10, action: 'user.deleted', userId: solo.id })
      ).rows;
      expect(denied.map((r) => [r.outcome, r.actor.split(':')[0], r.details])).toEqual(
        expect.arrayContaining([
          ['denied', 'cp-admin', { reason: 'last_owner', organizations: [org.id] }],
          ['denied', 'user', { reason: 'last_owner', organizations: [org.id] }],
        ]),
      );
      expect(denied).toHaveLength(2);

      // Once another member owns it, the user may go; the organization keeps its owner.
      await ctx.api
        .patch(`/v1/organizations/${org.id}/members/${next.id}`, { role: 'owner' }, as(solo))
        .expect(200);
      await ctx.api.del('/v1/me', as(solo), { password: PASSWORD }).expect(204);
      await ctx.api.del(`/v1/admin/users/${solo.id}`, admin).expect(404);
      const left = await ctx.api.get(`/v1/organizations/${org.id}/members`, as(next)).expect(200);
      expect(left.body.data).toEqual([
        expect.objectContaining({ user_id: next.id, role: 'owner' }),
      ]);
    });

    it('never deletes both owners of an organization under concurrent deletions', async () => {
      const admin = await ctx.system.cpAdminToken('owner');
      for (let round = 0; round < 3; round += 1) {
        const a = await ctx.api.newUser('da');
        const b = await ctx.api.newUser('db');
        const org = await newOrg(a);
        await join(org.id, b, 'owner');
        const results = await Promise.all([
          ctx.api.del(`/v1/admin/users/${a.id}`, admin),
          ctx.api.del('/v1/me', as(b), { password: PASSWORD }),
        ]);
        expect(results.map((r) => r.status).sort()).toEqual([204, 409]);
        expect(await ctx.db(ctx.main).memberships.countWithRole(org.id, 'owner')).toBe(1);
      }
    });

    it('pages organizations, members and invitations with limit, cursor and next_cursor', async () => {
      const owner = await ctx.api.newUser('pager');
      const first = await newOrg(owner);
      const orgs = [first, await newOrg(owner), await newOrg(owner)];
      for (let i = 0; i < 2; i += 1)
        await join(first.id, await ctx.api.newUser(`pm${i}`), 'member');
      for (let i = 0; i < 3; i += 1) {
        await ctx.api
          .post(
            `/v1/organizations/${first.id}/invitations`,
            { email: uniqueEmail(`pi${i}`), role: 'member' },
            as(owner),
          )
          .expect(201);
      }
      /** Every id of a list, two at a time, following next_cursor. */
      const walk = async (path: string): Promise<string[]> => {
        const ids: string[] = [];
        let cursor: string | null = null;
        for (let page = 0; page < 10; page += 1) {
          const query: string =
            cursor === null ? '?limit=2' : `?limit=2&cursor=${encodeURIComponent(cursor)}`;
          const res = await ctx.api.get(`${path}${query}`, as(owner)).expect(200);
          expect(res.body.data.length).toBeLessThanOrEqual(2);
          ids.push(
            ...(res.body.data as Array<{ id?: string; user_id?: string }>).map(
              (r) => r.id ?? r.user_id ?? '',
            ),
          );
          cursor = res.body.next_cursor as string | null;
          if (cursor === null) return ids;
        }
        throw new Error('never reached the last page');
      };
      expect(await walk('/v1/organizations')).toEqual(orgs.map((o) => o.id));
      expect(new Set(await walk(`/v1/organizations/${first.id}/members`)).size).toBe(3);
      expect(new Set(await walk(`/v1/organizations/${first.id}/invitations`)).size).toBe(3);
      const all = await ctx.api.get('/v1/organizations', as(owner)).expect(200);
      expect(all.body).toMatchObject({ next_cursor: null });
      expect(all.body.data).toHaveLength(3);
      const forged = await ctx.api.get('/v1/organizations?cursor=forged', as(owner)).expect(400);
      expect(forged.body.code).toBe('invalid_cursor');
      const tooMany = await ctx.api.get('/v1/organizations?limit=101', as(owner)).expect(400);
      expect(JSON.stringify(tooMany.body)).toContain('limit');
    });

    it('manages custom organization roles and grants them', async () => {
      const owner = await ctx.api.newUser('cr');
      const member = await ctx.api.newUser('crm');
      const org = await newOrg(owner);
      await join(org.id, member, 'member');
      const base = `/v1/organizations/${org.id}`;
      const created = await ctx.api
        .post(
          `${base}/roles`,
          { key: 'reviewer', name: 'Reviewer', permissions: ['docs:review'] },
          as(owner),
        )
        .expect(201);
      expect(created.body).toMatchObject({ key: 'reviewer', permissions: ['docs:review'] });
      const builtIn = await ctx.api
        .post(`${base}/roles`, { key: 'owner', name: 'X', permissions: [] }, as(owner))
        .expect(409);
      expect(builtIn.body.code).toBe('role_key_taken');
      await ctx.api
        .post(`${base}/roles`, { key: 'x', name: 'X', permissions: [] }, as(member))
        .expect(403);
      await ctx.api
        .patch(`${base}/members/${member.id}`, { role: 'reviewer' }, as(owner))
        .expect(200);
      const inUse = await ctx.api.del(`${base}/roles/reviewer`, as(owner)).expect(409);
      expect(inUse.body.code).toBe('role_in_use');
      await ctx.api
        .patch(`${base}/roles/reviewer`, { permissions: ['docs:review', 'docs:read'] }, as(owner))
        .expect(200);
      const list = await ctx.api.get(`${base}/roles`, as(member)).expect(200);
      expect(list.body.data).toEqual([
        expect.objectContaining({ key: 'reviewer', permissions: ['docs:read', 'docs:review'] }),
      ]);
      // The role is the organization's own: another organization cannot grant it.
      const other = await newOrg(owner);
      await ctx.api
        .patch(`/v1/organizations/${other.id}/members/${owner.id}`, { role: 'reviewer' }, as(owner))
        .expect(404);
      await ctx.api
        .patch(`${base}/members/${member.id}`, { role: 'member' }, as(owner))
        .expect(200);
      await ctx.api.del(`${base}/roles/reviewer`, as(owner)).expect(204);
      await ctx.api.del(`${base}/roles/reviewer`, as(owner)).expect(404);
    });

    /** A user with a verified address, made by a tenant admin, signed in. */
    const verifiedUser = async (prefix: string): Promise<Member> => {
      const admin = await ctx.system.cpAdminToken('owner');
      const email = uniqueEmail(prefix);
      const made = await ctx.api
        .post('/v1/admin/users', { email, password: PASSWORD, email_verified: true }, admin)
        .expect(201);
      const signedIn = await ctx.api.signIn(email).expect(200);
      return { id: made.body.id as string, email, tokens: signedIn.body as Tokens };
    };
    const invite = (orgId: string, by: Member, email: string, role = 'member') =>
      ctx.api.post(`/v1/organizations/${orgId}/invitations`, { email, role }, as(by));

    describe('invitations', () => {
      it('mails a single-use token the invited, verified user accepts to join', async () => {
        const owner = await ctx.api.newUser('inv-owner');
        const invited = await verifiedUser('invited');
        const org = await newOrg(owner);
        const created = await invite(org.id, owner, invited.email.toUpperCase(), 'admin').expect(
          201,
        );
        expect(created.body).toMatchObject({
          email: invited.email,
          role: 'admin',
          invited_by: owner.id,
        });
        const token = linkTokenIn(await mail.next(invited.email), '/login/invitation');
        const pending = await ctx.api
          .get(`/v1/organizations/${org.id}/invitations`, as(owner))
          .expect(200);
        expect(pending.body.data).toEqual([expect.objectContaining({ id: created.body.id })]);

        const joined = await ctx.api
          .post('/v1/invitations/accept', { token }, as(invited))
          .expect(200);
        expect(joined.body).toMatchObject({ id: org.id, role: 'admin' });
        await ctx.api.get(`/v1/organizations/${org.id}`, as(invited)).expect(200);
        const again = await ctx.api
          .post('/v1/invitations/accept', { token }, as(invited))
          .expect(404);
        expect(again.body.code).toBe('invalid_invitation');
        const none = await ctx.api
          .get(`/v1/organizations/${org.id}/invitations`, as(owner))
          .expect(200);
        expect(none.body.data).toEqual([]);
        const log = await ctx.db(ctx.main).auditLog.list({ limit: 20, userId: invited.id });
        expect(log.rows.map((r) => `${r.action}:${r.outcome}`)).toEqual(
          expect.arrayContaining(['invitation.accepted:success', 'membership.created:success']),
        );
        const inviting = await invite(org.id, owner, invited.email).expect(409);
        expect(inviting.body.code).toBe('already_member');
      });

      it('refuses another user, an unverified address, revoked and unknown tokens alike', async () => {
        const owner = await ctx.api.newUser('inv-o2');
        const org = await newOrg(owner);
        // Signed up, not verified: the invitation waits until the address is proven.
        const unverified = await ctx.api.newUser('unverified');
        await invite(org.id, owner, unverified.email).expect(201);
        const token = linkTokenIn(await mail.next(unverified.email), '/login/invitation');
        const intruder = await verifiedUser('intruder');
        for (const who of [intruder, unverified]) {
          const res = await ctx.api.post('/v1/invitations/accept', { token }, as(who)).expect(404);
          expect(res.body.code).toBe('invalid_invitation');
        }
        await ctx.api.get(`/v1/organizations/${org.id}`, as(intruder)).expect(404);
        await ctx.api
          .post('/v1/invitations/accept', { token: 'x'.repeat(43) }, as(intruder))
          .expect(404);
        await ctx.api.post('/v1/invitations/accept', { token }).expect(401);
        // Still pending for its addressee; revoked, it is dead for everyone.
        const pending = await ctx.api
          .get(`/v1/organizations/${org.id}/invitations`, as(owner))
          .expect(200);
        const [only] = pending.body.data as Array<{ id: string }>;
        await ctx.api
          .del(`/v1/organizations/${org.id}/invitations/${only?.id ?? ''}`, as(owner))
          .expect(204);
        const twice = await ctx.api
          .del(`/v1/organizations/${org.id}/invitations/${only?.id ?? ''}`, as(owner))
          .expect(404);
        expect(twice.body.code).toBe('invitation_not_found');
        await ctx.db(ctx.main).users.update(unverified.id, { emailVerified: true });
        await ctx.api.post('/v1/invitations/accept', { token }, as(unverified)).expect(404);
      });

      it('keeps roles within the inviter’s rights and invitations to managers', async () => {
        const owner = await ctx.api.newUser('inv-o3');
        const admin = await ctx.api.newUser('inv-a3');
        const member = await ctx.api.newUser('inv-m3');
        const org = await newOrg(owner);
        await join(org.id, admin, 'admin');
        await join(org.id, member, 'member');
        const asOwner = await invite(org.id, admin, uniqueEmail('x'), 'owner').expect(403);
        expect(asOwner.body.code).toBe('insufficient_role');
        await invite(org.id, member, uniqueEmail('x')).expect(403);
        await ctx.api.get(`/v1/organizations/${org.id}/invitations`, as(member)).expect(403);
        const unknown = await invite(org.id, owner, uniqueEmail('x'), 'ghost').expect(404);
        expect(unknown.body.code).toBe('role_not_found');
        const badEmail = await invite(org.id, owner, 'not-an-email').expect(400);
        expect(JSON.stringify(badEmail.body)).toContain('email');
        const stranger = await ctx.api.newUser('inv-s3');
        await invite(org.id, stranger, uniqueEmail('x')).expect(404);
        const email = uniqueEmail('ok');
        await invite(org.id, admin, email, 'admin').expect(201);
        expect((await mail.next(email)).raw).toContain('Acme');
      });

      it('expires 7 days after it was sent (expired ones: DAL conformance suite)', async () => {
        const owner = await ctx.api.newUser('inv-o4');
        const org = await newOrg(owner);
        const email = uniqueEmail('late');
        const created = await invite(org.id, owner, email).expect(201);
        const days = (Date.parse(created.body.expires_at as string) - Date.now()) / 86_400_000;
        expect(days).toBeGreaterThan(6.9);
        expect(days).toBeLessThanOrEqual(7);
        await mail.next(email);
      });
    });

    describe('active organization', () => {
      it('switches on refresh for members: org_id, org_role and the role’s permissions', async () => {
        const owner = await ctx.api.newUser('ao');
        const member = await ctx.api.newUser('am');
        const org = await newOrg(owner);
        await join(org.id, member, 'member');
        const res = await ctx.api
          .post('/v1/auth/refresh', {
            refresh_token: member.tokens.refresh_token,
            organization_id: org.id,
          })
          .expect(200);
        const memberRole = await ctx.db(ctx.main).roles.findByKey(null, 'member');
        expect(claimsOf(res.body.access_token as string)).toMatchObject({
          org_id: org.id,
          org_role: 'member',
          permissions: [...(memberRole?.permissions ?? ['missing'])].sort(),
        });
        // The session remembers it: a plain refresh keeps it, null clears it.
        const kept = await ctx.api.refresh(res.body.refresh_token as string).expect(200);
        expect(claimsOf(kept.body.access_token as string).org_id).toBe(org.id);
        const cleared = await ctx.api
          .post('/v1/auth/refresh', {
            refresh_token: kept.body.refresh_token,
            organization_id: null,
          })
          .expect(200);
        expect(claimsOf(cleared.body.access_token as string)).not.toHaveProperty('org_id');
        const log = await ctx
          .db(ctx.main)
          .auditLog.list({ limit: 10, action: 'organization.switched' });
        expect(log.rows.some((r) => r.userId === member.id && r.outcome === 'success')).toBe(true);
      });

      it('refuses a non-member (403, token not spent), and drops a removed member at the next refresh', async () => {
        const owner = await ctx.api.newUser('ro');
        const member = await ctx.api.newUser('rm');
        const stranger = await ctx.api.newUser('rs');
        const org = await newOrg(owner);
        const denied = await ctx.api
          .post('/v1/auth/refresh', {
            refresh_token: stranger.tokens.refresh_token,
            organization_id: org.id,
          })
          .expect(403);
        expect(denied.body.code).toBe('not_organization_member');
        await ctx.api
          .post('/v1/auth/refresh', {
            refresh_token: stranger.tokens.refresh_token,
            organization_id: randomUUID(),
          })
          .expect(403);
        // Nothing was spent: the same refresh token still works.
        await ctx.api.refresh(stranger.tokens.refresh_token).expect(200);

        await join(org.id, member, 'admin');
        const switched = await ctx.api
          .post('/v1/auth/refresh', {
            refresh_token: member.tokens.refresh_token,
            organization_id: org.id,
          })
          .expect(200);
        const access = switched.body.access_token as string;
        expect(claimsOf(access)).toMatchObject({ org_id: org.id, org_role: 'admin' });
        await ctx.api
          .del(`/v1/organizations/${org.id}/members/${member.id}`, as(owner))
          .expect(204);
        // At once on the organization routes, even with the still-unexpired token...
        await ctx.api.get(`/v1/organizations/${org.id}`, access).expect(404);
        // ...and in the claims at the next refresh.
        const after = await ctx.api.refresh(switched.body.refresh_token as string).expect(200);
        expect(claimsOf(after.body.access_token as string)).not.toHaveProperty('org_id');
      });
    });

    // Last: its fifty mails would queue ahead of the other tests' mails.
    it('limits organization creation and invitations per user', async () => {
      const busy = await ctx.api.newUser('busy');
      for (let i = 0; i < 10; i += 1) await newOrg(busy);
      const refused = await ctx.api
        .post('/v1/organizations', { name: 'One more', slug: slug() }, as(busy))
        .expect(429);
      expect(refused.body.code).toBe('rate_limited');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      // Another user's budget is their own.
      const calm = await ctx.api.newUser('calm');
      const org = await newOrg(calm);

      for (let i = 0; i < 50; i += 1) {
        await ctx.api
          .post(
            `/v1/organizations/${org.id}/invitations`,
            { email: uniqueEmail(`bulk${i}`), role: 'member' },
            as(calm),
          )
          .expect(201);
      }
      const spam = await ctx.api
        .post(
          `/v1/organizations/${org.id}/invitations`,
          { email: uniqueEmail('bulk-x'), role: 'member' },
          as(calm),
        )
        .expect(429);
      expect(spam.body.code).toBe('rate_limited');
      const pending = await ctx.api
        .get(`/v1/organizations/${org.id}/invitations?limit=100`, as(calm))
        .expect(200);
      expect(pending.body.data).toHaveLength(50);
    });
  });
}
