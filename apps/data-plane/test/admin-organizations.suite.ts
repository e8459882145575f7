import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@hellojohn/events';
import { eventually } from '@hellojohn/testing';
import request from 'supertest';
import { useAuthContext } from './support/auth-context';
import type { Tokens } from './support/auth-client';
import type { DpSystem, TestTenant } from './support/dp-system';
import { claimsOf } from './support/org-helpers';

const ORGS = '/v1/admin/organizations';

interface AdminOrg {
  id: string;
  slug: string;
  name: string;
  metadata: Record<string, unknown>;
}

/**
 * Tenant-admin organization and session routes (docs/organizations.md, "Tenant admins"), through
 * the real data plane: CP admin tokens, the tenant databases `start` runs it on, the outbox relay
 * and the in-process bus.
 */
export function adminOrganizationsSuite(name: string, start: () => Promise<DpSystem>): void {
  describe(`admin organizations and user sessions (CP admin token) ${name}`, () => {
    const ctx = useAuthContext(start);
    const adminId = randomUUID();
    let owner: string;
    let viewer: string;
    const events: EventEnvelope[] = [];

    beforeAll(async () => {
      owner = await ctx.system.cpAdminToken('owner', {}, { adminId });
      viewer = await ctx.system.cpAdminToken('viewer');
      await ctx.system.dp.deps.bus.subscribe(
        {
          name: `admin-orgs-test-${randomBytes(4).toString('hex')}`,
          routingKeys: ['organization.*', 'membership.*', 'session.revoked'],
          mode: 'exclusive',
        },
        (event) => {
          events.push(event);
          return Promise.resolve();
        },
      );
    });

    /** `PUT` with a JSON body under `/t/{slug}` (the shared tenant client has no `put`). */
    const put = (path: string, body: unknown, token: string, tenant: TestTenant = ctx.main) =>
      request(ctx.system.dp.url)
        .put(`/t/${tenant.slug}${path}`)
        .set('X-Forwarded-For', `198.51.${randomInt(0, 256)}.${randomInt(1, 255)}`)
        .set('Authorization', `Bearer ${token}`)
        .send(body as object);

    const unique = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;

    const newOrg = async (body: Record<string, unknown> = {}): Promise<AdminOrg> => {
      const slug = unique('org');
      const res = await ctx.api
        .post(ORGS, { name: `Org ${slug}`, slug, ...body }, owner)
        .expect(201);
      return res.body as AdminOrg;
    };

    /** The events of `type` about the organization, once the outbox has sent them. */
    async function eventsOf(type: string, orgId: string, expected: number) {
      const about = () =>
        events.filter(
          (e) =>
            e.type === type &&
            e.tenant_id === ctx.main.id &&
            (e.data as { organization_id?: string }).organization_id === orgId,
        );
      await eventually(async () => {
        expect(await ctx.db(ctx.main).domainEvents.countUnsent()).toBe(0);
        expect(about().length).toBeGreaterThanOrEqual(expected);
      });
      return about().map((e) => e.data);
    }

    it('reads with a viewer, writes only with an owner; user tokens and no token are refused', async () => {
      const org = await newOrg();
      await ctx.api.get(ORGS, viewer).expect(200);
      await ctx.api.get(`${ORGS}/${org.id}`, viewer).expect(200);
      await ctx.api.get(`${ORGS}/${org.id}/members`, viewer).expect(200);
      await ctx.api.get(`${ORGS}/${org.id}/invitations`, viewer).expect(200);
      const user = await ctx.api.newUser('refused');
      const writes = [
        ctx.api.post(ORGS, { name: 'V', slug: unique('v') }, viewer),
        ctx.api.patch(`${ORGS}/${org.id}`, { name: 'V' }, viewer),
        ctx.api.del(`${ORGS}/${org.id}`, viewer),
        put(`${ORGS}/${org.id}/members/${user.id}`, { role: 'member' }, viewer),
        ctx.api.del(`${ORGS}/${org.id}/members/${user.id}`, viewer),
        ctx.api.del(`${ORGS}/${org.id}/invitations/${randomUUID()}`, viewer),
        ctx.api.del(`/v1/admin/users/${user.id}/sessions/${randomUUID()}`, viewer),
      ];
      for (const denied of await Promise.all(writes)) {
        expect(denied.status).toBe(403);
        expect(denied.body.code).toBe('insufficient_role');
      }
      await ctx.api.get(ORGS, user.tokens.access_token).expect(401);
      await ctx.api
        .get(`/v1/admin/users/${user.id}/sessions`, user.tokens.access_token)
        .expect(401);
      await ctx.api.get(ORGS).expect(401);
      // Nothing changed.
      const after = await ctx.api.get(`${ORGS}/${org.id}`, viewer).expect(200);
      expect(after.body).toMatchObject({ name: org.name });
    });

    it('creates an organization with its first owner and metadata, emitting the members’ events', async () => {
      const user = await ctx.api.newUser('first-owner');
      const slug = unique('acme');
      const res = await ctx.api
        .post(
          ORGS,
          { name: 'Acme', slug, owner_user_id: user.id, metadata: { plan: 'gold' } },
          owner,
        )
        .expect(201);
      expect(res.body).toMatchObject({ slug, name: 'Acme', metadata: { plan: 'gold' } });
      expect(Object.keys(res.body as object).sort()).toEqual(
        ['created_at', 'id', 'metadata', 'name', 'slug', 'updated_at'].sort(),
      );
      const orgId = (res.body as AdminOrg).id;
      // The owner sees it as theirs.
      const mine = await ctx.api.get(`/v1/organizations/${orgId}`, user.tokens.access_token);
      expect(mine.status).toBe(200);
      expect(mine.body.role).toBe('owner');

      expect(await eventsOf('organization.created', orgId, 1)).toEqual([
        { organization_id: orgId, slug, name: 'Acme' },
      ]);
      expect(await eventsOf('membership.created', orgId, 1)).toEqual([
        { organization_id: orgId, user_id: user.id, role: 'owner' },
      ]);
      const audit = await ctx
        .db(ctx.main)
        .auditLog.list({ limit: 50, action: 'organization.created' });
      expect(audit.rows.find((row) => row.target === orgId)).toMatchObject({
        actor: `cp-admin:${adminId}`,
        outcome: 'success',
      });

      // Without an owner: an organization with no member yet.
      const bare = await newOrg();
      const members = await ctx.api.get(`${ORGS}/${bare.id}/members`, viewer).expect(200);
      expect(members.body).toEqual({ data: [], next_cursor: null });
    });

    it('validates the body strictly, naming the field; taken slugs and unknown owners are refused', async () => {
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ name: 'A', slug: 'Not A Slug' }, 'body.slug'],
        [{ name: '', slug: unique('a') }, 'body.name'],
        [{ slug: unique('a') }, 'body.name'],
        [{ name: 'A', slug: unique('a'), extra: 1 }, 'extra'],
        [{ name: 'A', slug: unique('a'), metadata: 'x' }, 'body.metadata'],
      ];
      for (const [body, field] of cases) {
        const res = await ctx.api.post(ORGS, body, owner).expect(400);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(res.body.code).toBe('validation_failed');
        expect(JSON.stringify(res.body)).toContain(field);
      }
      const org = await newOrg();
      const taken = await ctx.api.post(ORGS, { name: 'Again', slug: org.slug }, owner).expect(409);
      expect(taken.body.code).toBe('organization_slug_taken');
      const ghost = await ctx.api
        .post(ORGS, { name: 'G', slug: unique('g'), owner_user_id: randomUUID() }, owner)
        .expect(404);
      expect(ghost.body.code).toBe('user_not_found');
      expect(ghost.body.detail).toContain('body.owner_user_id');
      const badPatch = await ctx.api.patch(`${ORGS}/${org.id}`, { role: 'x' }, owner).expect(400);
      expect(JSON.stringify(badPatch.body)).toContain('role');
      const badQuery = await ctx.api.get(`${ORGS}?limit=0`, viewer).expect(400);
      expect(JSON.stringify(badQuery.body)).toContain('query.limit');
    });

    it('lists oldest first, page by page, and searches names (any case) and slug prefixes', async () => {
      const tag = randomBytes(3).toString('hex');
      const made: AdminOrg[] = [];
      for (const name of ['Alpha', 'Beta', 'Gamma']) {
        const res = await ctx.api
          .post(ORGS, { name: `${name} Team ${tag}`, slug: `s${tag}-${name.toLowerCase()}` }, owner)
          .expect(201);
        made.push(res.body as AdminOrg);
      }
      const ids = made.map((org) => org.id);

      const first = await ctx.api.get(`${ORGS}?search=TEAM%20${tag}&limit=2`, viewer).expect(200);
      expect((first.body.data as AdminOrg[]).map((o) => o.id)).toEqual(ids.slice(0, 2));
      expect(first.body.next_cursor).toEqual(expect.any(String));
      const second = await ctx.api
        .get(
          `${ORGS}?search=team%20${tag}&limit=2&cursor=${encodeURIComponent(first.body.next_cursor as string)}`,
          viewer,
        )
        .expect(200);
      expect((second.body.data as AdminOrg[]).map((o) => o.id)).toEqual(ids.slice(2));
      expect(second.body.next_cursor).toBeNull();

      const bySlug = await ctx.api.get(`${ORGS}?search=s${tag}-g`, viewer).expect(200);
      expect((bySlug.body.data as AdminOrg[]).map((o) => o.id)).toEqual([made[2]?.id]);
      // A slug is matched from its start only; LIKE wildcards are literal.
      for (const search of [`${tag}-gamma`, `%25${tag}`, `s${tag}_`]) {
        const none = await ctx.api.get(`${ORGS}?search=${search}`, viewer).expect(200);
        expect(none.body.data).toEqual([]);
      }

      const all = await ctx.api.get(`${ORGS}?limit=100`, viewer).expect(200);
      expect((all.body.data as AdminOrg[]).map((o) => o.id)).toEqual(expect.arrayContaining(ids));
      const bad = await ctx.api.get(`${ORGS}?cursor=forged`, viewer).expect(400);
      expect(bad.body.code).toBe('invalid_cursor');
      await ctx.api.get(`${ORGS}?unknown=1`, viewer).expect(400);
    });

    it('gets, patches and deletes by id or slug; unknown ones are 404 problems', async () => {
      const org = await newOrg();
      const bySlug = await ctx.api.get(`${ORGS}/${org.slug}`, viewer).expect(200);
      expect(bySlug.body.id).toBe(org.id);

      const newSlug = unique('renamed');
      const patched = await ctx.api
        .patch(`${ORGS}/${org.slug}`, { name: 'Renamed', slug: newSlug, metadata: { a: 1 } }, owner)
        .expect(200);
      expect(patched.body).toMatchObject({
        id: org.id,
        name: 'Renamed',
        slug: newSlug,
        metadata: { a: 1 },
      });
      expect(await eventsOf('organization.updated', org.id, 1)).toEqual([
        { organization_id: org.id, slug: newSlug, name: 'Renamed' },
      ]);
      const other = await newOrg();
      const clash = await ctx.api
        .patch(`${ORGS}/${other.id}`, { slug: newSlug }, owner)
        .expect(409);
      expect(clash.body.code).toBe('organization_slug_taken');

      await ctx.api.del(`${ORGS}/${newSlug}`, owner).expect(204);
      expect(await eventsOf('organization.deleted', org.id, 1)).toEqual([
        { organization_id: org.id },
      ]);
      for (const res of [
        await ctx.api.get(`${ORGS}/${org.id}`, viewer),
        await ctx.api.patch(`${ORGS}/${org.id}`, { name: 'X' }, owner),
        await ctx.api.del(`${ORGS}/${org.id}`, owner),
        await ctx.api.get(`${ORGS}/${org.id}/members`, viewer),
        await put(`${ORGS}/${org.id}/members/${randomUUID()}`, { role: 'member' }, owner),
      ]) {
        expect(res.status).toBe(404);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(res.body.code).toBe('organization_not_found');
      }
    });

    it('adds members, changes roles, removes them, and never leaves an organization ownerless', async () => {
      const first = await ctx.api.newUser('org-owner');
      const second = await ctx.api.newUser('org-member');
      const org = await newOrg({ owner_user_id: first.id });
      const members = `${ORGS}/${org.id}/members`;

      const added = await put(`${members}/${second.id}`, { role: 'member' }, owner).expect(201);
      expect(added.body).toMatchObject({ user_id: second.id, email: second.email, role: 'member' });
      // The same role again: unchanged, no event.
      await put(`${members}/${second.id}`, { role: 'member' }, owner).expect(200);
      const promoted = await put(`${members}/${second.id}`, { role: 'admin' }, owner).expect(200);
      expect(promoted.body.role).toBe('admin');

      const page1 = await ctx.api.get(`${members}?limit=1`, viewer).expect(200);
      expect((page1.body.data as Array<{ user_id: string }>).map((m) => m.user_id)).toEqual([
        first.id,
      ]);
      const page2 = await ctx.api
        .get(
          `${members}?limit=1&cursor=${encodeURIComponent(page1.body.next_cursor as string)}`,
          viewer,
        )
        .expect(200);
      expect(page2.body.data).toEqual([
        expect.objectContaining({ user_id: second.id, role: 'admin' }),
      ]);
      expect(page2.body.next_cursor).toBeNull();

      // The sole owner may be neither demoted nor removed: 409 like the members' own routes.
      const demote = await put(`${members}/${first.id}`, { role: 'member' }, owner).expect(409);
      expect(demote.body.code).toBe('last_owner');
      const remove = await ctx.api.del(`${members}/${first.id}`, owner).expect(409);
      expect(remove.body.code).toBe('last_owner');
      const denied = await ctx.db(ctx.main).auditLog.list({ limit: 20, userId: first.id });
      expect(
        denied.rows.filter((row) => row.outcome === 'denied').map((row) => row.action),
      ).toEqual(expect.arrayContaining(['membership.updated', 'membership.removed']));

      // With a second owner the first may go.
      await put(`${members}/${second.id}`, { role: 'owner' }, owner).expect(200);
      await ctx.api.del(`${members}/${first.id}`, owner).expect(204);
      const gone = await ctx.api.del(`${members}/${first.id}`, owner).expect(404);
      expect(gone.body.code).toBe('member_not_found');
      await ctx.api.get(`/v1/organizations/${org.id}`, first.tokens.access_token).expect(404);

      const unknownUser = await put(`${members}/${randomUUID()}`, { role: 'member' }, owner).expect(
        404,
      );
      expect(unknownUser.body.code).toBe('user_not_found');
      const unknownRole = await put(`${members}/${first.id}`, { role: 'nope' }, owner).expect(404);
      expect(unknownRole.body.code).toBe('role_not_found');
      expect(unknownRole.body.detail).toContain('body.role');
      const badRole = await put(`${members}/${first.id}`, { role: 'Not A Key' }, owner).expect(400);
      expect(JSON.stringify(badRole.body)).toContain('body.role');
      await put(`${members}/${first.id}`, { role: 'member', extra: true }, owner).expect(400);

      expect(await eventsOf('membership.created', org.id, 2)).toEqual([
        { organization_id: org.id, user_id: first.id, role: 'owner' },
        { organization_id: org.id, user_id: second.id, role: 'member' },
      ]);
      expect(await eventsOf('membership.updated', org.id, 2)).toEqual([
        { organization_id: org.id, user_id: second.id, role: 'admin' },
        { organization_id: org.id, user_id: second.id, role: 'owner' },
      ]);
      expect(await eventsOf('membership.deleted', org.id, 1)).toEqual([
        { organization_id: org.id, user_id: first.id },
      ]);
    });

    it('lists and revokes pending invitations', async () => {
      const org = await newOrg();
      const db = ctx.db(ctx.main);
      const invitationId = randomUUID();
      await db.invitations.create({
        id: invitationId,
        organizationId: org.id,
        emailNormalized: `invitee-${randomBytes(3).toString('hex')}@example.com`,
        role: 'member',
        tokenHash: randomBytes(32).toString('hex'),
        invitedBy: null,
        expiresAt: new Date(Date.now() + 3_600_000),
      });
      const list = await ctx.api.get(`${ORGS}/${org.slug}/invitations`, viewer).expect(200);
      expect(list.body.data).toEqual([
        expect.objectContaining({ id: invitationId, role: 'member' }),
      ]);
      expect(JSON.stringify(list.body)).not.toContain('token');

      await ctx.api.del(`${ORGS}/${org.id}/invitations/${invitationId}`, owner).expect(204);
      const revoked = await ctx.api.get(`${ORGS}/${org.id}/invitations`, viewer).expect(200);
      expect(revoked.body.data).toEqual([]);
      const again = await ctx.api
        .del(`${ORGS}/${org.id}/invitations/${invitationId}`, owner)
        .expect(404);
      expect(again.body.code).toBe('invitation_not_found');
    });

    it("keeps every tenant's organizations and sessions to itself", async () => {
      const user = await ctx.api.newUser('isolated');
      const org = await newOrg({ owner_user_id: user.id });
      const sid = claimsOf(user.tokens.access_token)['sid'] as string;
      const otherApi = ctx.otherApi;
      for (const res of [
        await otherApi.get(`${ORGS}/${org.id}`, viewer),
        await otherApi.get(`${ORGS}/${org.slug}`, viewer),
        await otherApi.patch(`${ORGS}/${org.id}`, { name: 'Stolen' }, owner),
        await otherApi.del(`${ORGS}/${org.id}`, owner),
        await otherApi.get(`${ORGS}/${org.id}/members`, viewer),
        await put(`${ORGS}/${org.id}/members/${user.id}`, { role: 'member' }, owner, ctx.other),
        await otherApi.del(`${ORGS}/${org.id}/members/${user.id}`, owner),
      ]) {
        expect(res.status).toBe(404);
        expect(res.body.code).toBe('organization_not_found');
      }
      const listed = await otherApi.get(`${ORGS}?limit=100&search=${org.slug}`, viewer).expect(200);
      expect(listed.body.data).toEqual([]);
      const sessions = await otherApi
        .get(`/v1/admin/users/${user.id}/sessions`, viewer)
        .expect(404);
      expect(sessions.body.code).toBe('user_not_found');
      await otherApi.del(`/v1/admin/users/${user.id}/sessions/${sid}`, owner).expect(404);
      // An admin granted only the other tenant does not reach this one at all.
      const narrow = await ctx.system.cpAdminToken('owner', {}, { tenants: [ctx.other.id] });
      const refused = await ctx.api.get(`${ORGS}/${org.id}`, narrow).expect(404);
      expect(refused.body.code).toBe('tenant_not_found');
      await ctx.api.get(`${ORGS}/${org.id}`, viewer).expect(200);
      await ctx.api.get(`/v1/admin/users/${user.id}/sessions`, viewer).expect(200);
    });

    it("lists a user's live sessions without secrets, and revokes one like the user's own sign-out", async () => {
      const user = await ctx.api.newUser('sessions');
      const second = (await ctx.api.signIn(user.email).expect(200)).body as Tokens;
      const sids = [user.tokens, second].map((t) => claimsOf(t.access_token)['sid'] as string);
      const path = `/v1/admin/users/${user.id}/sessions`;

      const list = await ctx.api.get(path, viewer).expect(200);
      const rows = list.body.data as Array<Record<string, unknown>>;
      expect(rows.map((r) => r['id']).sort()).toEqual([...sids].sort());
      expect(rows[0]).toEqual({
        id: expect.any(String),
        kind: 'token',
        created_at: expect.any(String),
        last_used_at: expect.any(String),
        expires_at: expect.any(String),
        auth_time: expect.any(String),
        amr: ['pwd'],
        ip: expect.any(String),
        user_agent: null,
        client_id: null,
      });
      expect(JSON.stringify(list.body)).not.toMatch(/hash|refresh_token/);
      const paged = await ctx.api.get(`${path}?limit=1`, viewer).expect(200);
      expect(paged.body.data).toHaveLength(1);
      expect(paged.body.next_cursor).toEqual(expect.any(String));

      await ctx.api.del(`${path}/${sids[0]}`, owner).expect(204);
      // The revoked session's refresh token no longer refreshes; the other session's still does.
      const refused = await ctx.api.refresh(user.tokens.refresh_token).expect(401);
      expect(refused.body.code).toBe('refresh_token_invalid');
      await ctx.api.get('/v1/me', user.tokens.access_token).expect(401);
      await ctx.api.get('/v1/me', second.access_token).expect(200);
      await ctx.api.refresh(second.refresh_token).expect(200);
      const after = await ctx.api.get(path, viewer).expect(200);
      expect((after.body.data as Array<{ id: string }>).map((r) => r.id)).toEqual([sids[1]]);

      await eventually(async () => {
        expect(await ctx.db(ctx.main).domainEvents.countUnsent()).toBe(0);
        expect(
          events
            .filter((e) => e.type === 'session.revoked' && e.tenant_id === ctx.main.id)
            .map((e) => e.data),
        ).toContainEqual({ user_id: user.id, session_id: sids[0], reason: 'admin_revoked' });
      });
      const audit = await ctx.db(ctx.main).auditLog.list({
        limit: 10,
        userId: user.id,
        action: 'session.revoked',
      });
      expect(audit.rows[0]).toMatchObject({ actor: `cp-admin:${adminId}`, outcome: 'success' });

      // Ended, unknown, or another user's: the same 404.
      const again = await ctx.api.del(`${path}/${sids[0]}`, owner).expect(404);
      expect(again.body.code).toBe('session_not_found');
      await ctx.api.del(`${path}/${randomUUID()}`, owner).expect(404);
      const stranger = await ctx.api.newUser('stranger');
      const theirs = claimsOf(stranger.tokens.access_token)['sid'] as string;
      await ctx.api.del(`${path}/${theirs}`, owner).expect(404);
      await ctx.api.refresh(stranger.tokens.refresh_token).expect(200);
      const nobody = await ctx.api
        .get(`/v1/admin/users/${randomUUID()}/sessions`, viewer)
        .expect(404);
      expect(nobody.body.code).toBe('user_not_found');
      expect(nobody.headers['content-type']).toMatch(/application\/problem\+json/);
    });
  });
}
