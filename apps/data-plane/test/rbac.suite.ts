import { useAuthContext } from './support/auth-context';
import type { Tokens } from './support/auth-client';
import type { DpSystem } from './support/dp-system';
import { claimsOf, put } from './support/org-helpers';

/** Tenant RBAC (docs/organizations.md): roles managed by tenant admins, carried in tokens. */
export function rbacSuite(name: string, start: () => Promise<DpSystem>): void {
  describe(name, () => {
    const ctx = useAuthContext(start);
    let owner: string;
    let viewer: string;
    beforeAll(async () => {
      owner = await ctx.system.cpAdminToken('owner');
      viewer = await ctx.system.cpAdminToken('viewer');
    });

    const refreshed = async (tokens: Tokens): Promise<Tokens> =>
      (await ctx.api.refresh(tokens.refresh_token).expect(200)).body as Tokens;
    const newRole = async (key: string, permissions: string[]) =>
      ctx.api.post('/v1/admin/roles', { key, name: key, permissions }, owner).expect(201);
    const assign = (userId: string, role: string, token = owner) =>
      put(ctx.system.dp.url, ctx.main, `/v1/admin/users/${userId}/roles/${role}`, token);

    it('lists the default roles to a viewer; writes need an owner; users are refused', async () => {
      const list = await ctx.api.get('/v1/admin/roles', viewer).expect(200);
      const keys = (list.body.data as Array<{ key: string }>).map((r) => r.key);
      expect(keys).toEqual(expect.arrayContaining(['owner', 'admin', 'member']));
      const denied = await ctx.api
        .post('/v1/admin/roles', { key: 'x', name: 'X', permissions: [] }, viewer)
        .expect(403);
      expect(denied.body.code).toBe('insufficient_role');
      const { tokens } = await ctx.api.newUser('rbac');
      await ctx.api.get('/v1/admin/roles', tokens.access_token).expect(401);
      await ctx.api.get('/v1/admin/roles').expect(401);
    });

    it('validates keys and permissions, naming the field', async () => {
      for (const permissions of [['docs'], ['Docs:write'], ['a:b:c'], ['*:x'], 'docs:write']) {
        const res = await ctx.api
          .post('/v1/admin/roles', { key: 'bad', name: 'Bad', permissions }, owner)
          .expect(400);
        expect(res.body.code).toBe('validation_failed');
        expect(JSON.stringify(res.body)).toContain('permissions');
      }
      const badKey = await ctx.api
        .post('/v1/admin/roles', { key: 'Has Space', name: 'B', permissions: [] }, owner)
        .expect(400);
      expect(JSON.stringify(badKey.body)).toContain('key');
      await ctx.api
        .post('/v1/admin/roles', { key: 'ok', name: 'B', permissions: [], extra: 1 }, owner)
        .expect(400);
    });

    it('creates, reads, edits and deletes a role; keys are unique; unknown ones 404', async () => {
      const created = await newRole('editor', ['docs:write', 'docs:read', 'docs:write']);
      expect(created.body).toMatchObject({
        key: 'editor',
        name: 'editor',
        permissions: ['docs:read', 'docs:write'],
      });
      const taken = await ctx.api
        .post('/v1/admin/roles', { key: 'editor', name: 'Again', permissions: [] }, owner)
        .expect(409);
      expect(taken.body.code).toBe('role_key_taken');
      await ctx.api.get('/v1/admin/roles/editor', viewer).expect(200);
      const patched = await ctx.api
        .patch('/v1/admin/roles/editor', { name: 'Editor', permissions: ['docs:*'] }, owner)
        .expect(200);
      expect(patched.body).toMatchObject({ name: 'Editor', permissions: ['docs:*'] });
      await ctx.api.del('/v1/admin/roles/editor', owner).expect(204);
      const gone = await ctx.api.get('/v1/admin/roles/editor', viewer).expect(404);
      expect(gone.body.code).toBe('role_not_found');
      await ctx.api.patch('/v1/admin/roles/nope', { name: 'N' }, owner).expect(404);
      await ctx.api.del('/v1/admin/roles/nope', owner).expect(404);
      // The same tenant-admin calls never reach another tenant's roles.
      await newRole('only-main', ['a:b']);
      await ctx.otherApi.get('/v1/admin/roles/only-main', viewer).expect(404);
    });

    it('keeps a tenant role that organization members hold', async () => {
      await newRole('auditor', ['logs:read']);
      const user = await ctx.api.newUser('orgrole');
      const org = await ctx.api
        .post(
          '/v1/organizations',
          { name: 'A', slug: `a-${user.id.slice(0, 8)}` },
          user.tokens.access_token,
        )
        .expect(201);
      const other = await ctx.api.newUser('orgrole2');
      await ctx.db(ctx.main).memberships.add({
        id: other.id,
        organizationId: org.body.id as string,
        userId: other.id,
        role: 'member',
      });
      await ctx.api
        .patch(
          `/v1/organizations/${org.body.id as string}/members/${other.id}`,
          { role: 'auditor' },
          user.tokens.access_token,
        )
        .expect(200);
      const res = await ctx.api.del('/v1/admin/roles/auditor', owner).expect(409);
      expect(res.body.code).toBe('role_in_use');
    });

    it('keeps the built-in roles editable but not deletable', async () => {
      const res = await ctx.api.del('/v1/admin/roles/member', owner).expect(409);
      expect(res.body.code).toBe('role_in_use');
      const member = (await ctx.api.get('/v1/admin/roles/member', viewer).expect(200)).body as {
        permissions: string[];
      };
      await ctx.api
        .patch(
          '/v1/admin/roles/member',
          { permissions: [...member.permissions, 'docs:read'] },
          owner,
        )
        .expect(200);
      const after = await ctx.api.get('/v1/admin/roles/member', viewer).expect(200);
      expect(after.body.permissions).toContain('docs:read');
    });

    it('puts roles and permissions in tokens from the next refresh, and takes them out', async () => {
      await newRole('writer', ['docs:write']);
      await newRole('reader', ['docs:read', 'docs:write']);
      const user = await ctx.api.newUser('roles');
      expect(claimsOf(user.tokens.access_token)).toMatchObject({ roles: [], permissions: [] });

      await assign(user.id, 'writer').expect(204);
      await assign(user.id, 'writer').expect(204);
      await assign(user.id, 'reader').expect(204);
      let tokens = await refreshed(user.tokens);
      expect(claimsOf(tokens.access_token)).toMatchObject({
        roles: ['reader', 'writer'],
        permissions: ['docs:read', 'docs:write'],
      });
      const signedIn = await ctx.api.signIn(user.email).expect(200);
      expect(claimsOf(signedIn.body.access_token as string).roles).toEqual(['reader', 'writer']);

      await ctx.api.del(`/v1/admin/users/${user.id}/roles/reader`, owner).expect(204);
      await ctx.api.del(`/v1/admin/users/${user.id}/roles/reader`, owner).expect(204);
      tokens = await refreshed(tokens);
      expect(claimsOf(tokens.access_token)).toMatchObject({
        roles: ['writer'],
        permissions: ['docs:write'],
      });
      // Deleting a role takes it from everyone holding it.
      await ctx.api.del('/v1/admin/roles/writer', owner).expect(204);
      tokens = await refreshed(tokens);
      expect(claimsOf(tokens.access_token)).toMatchObject({ roles: [], permissions: [] });

      const log = await ctx.db(ctx.main).auditLog.list({ limit: 10, userId: user.id });
      expect(log.rows.map((r) => r.action)).toEqual(
        expect.arrayContaining(['role.assigned', 'role.unassigned']),
      );
      const created = await ctx.db(ctx.main).auditLog.list({ limit: 50, action: 'role.created' });
      expect(created.rows.map((r) => r.target)).toEqual(expect.arrayContaining(['writer']));
    });

    it('answers 404 for an unknown user or role, and a viewer cannot assign', async () => {
      const user = await ctx.api.newUser('roles404');
      const noRole = await assign(user.id, 'nope').expect(404);
      expect(noRole.body.code).toBe('role_not_found');
      const noUser = await assign('00000000-0000-4000-8000-000000000000', 'member').expect(404);
      expect(noUser.body.code).toBe('user_not_found');
      const other = await ctx.otherApi.newUser('elsewhere');
      await assign(other.id, 'member').expect(404);
      const denied = await assign(user.id, 'member', viewer).expect(403);
      expect(denied.body.code).toBe('insufficient_role');
    });

    it('past the size budget carries permissions_ref instead of the permissions', async () => {
      const many = Array.from({ length: 60 }, (_, i) => `resource${i}:read`);
      await newRole('big', many);
      const user = await ctx.api.newUser('big');
      await assign(user.id, 'big').expect(204);
      const tokens = await refreshed(user.tokens);
      const claims = claimsOf(tokens.access_token);
      expect(claims).toMatchObject({ roles: ['big'], permissions_ref: true });
      expect(claims).not.toHaveProperty('permissions');
      // userinfo answers the full set the token only refers to.
      const info = await ctx.api.get('/userinfo', tokens.access_token).expect(200);
      expect(info.body).toMatchObject({ sub: user.id, roles: ['big'] });
      expect([...(info.body.permissions as string[])].sort()).toEqual([...many].sort());
    });
  });
}
