import type { AuthContext } from '../support/auth-context';
import { newCpKey } from '../support/dp-system';
import { PASSWORD, uniqueEmail } from '../support/auth-client';

export function describeAdminUsers(ctx: AuthContext): void {
  describe('admin users (CP admin token)', () => {
    let owner: string;
    let viewer: string;
    beforeAll(async () => {
      owner = await ctx.system.cpAdminToken('owner');
      viewer = await ctx.system.cpAdminToken('viewer');
    });

    it('refuses no token, an end-user token, and tokens not from the control plane', async () => {
      const none = await ctx.api.get('/v1/admin/users').expect(401);
      expect(none.body.code).toBe('unauthenticated');
      const { tokens } = await ctx.api.newUser('notadmin');
      const forged = await ctx.system.cpAdminToken('owner', { key: (await newCpKey()).key });
      const wrongIssuer = await ctx.system.cpAdminToken('owner', { issuer: 'http://evil' });
      const wrongAudience = await ctx.system.cpAdminToken('owner', { audience: ctx.main.issuer });
      for (const token of [tokens.access_token, forged, wrongIssuer, wrongAudience]) {
        const res = await ctx.api.get('/v1/admin/users', token).expect(401);
        expect(res.body.code).toBe('invalid_token');
      }
    });

    it('lets a viewer read but not write (403 insufficient_role)', async () => {
      await ctx.api.get('/v1/admin/users', viewer).expect(200);
      const res = await ctx.api
        .post('/v1/admin/users', { email: uniqueEmail('v') }, viewer)
        .expect(403);
      expect(res.body.code).toBe('insufficient_role');
    });

    it('creates users (409 on a taken email, 422 on a weak password)', async () => {
      const email = uniqueEmail('made');
      const created = await ctx.api
        .post(
          '/v1/admin/users',
          { email, password: PASSWORD, name: 'Made', email_verified: true },
          owner,
        )
        .expect(201);
      expect(created.body).toMatchObject({
        email,
        name: 'Made',
        email_verified: true,
        status: 'active',
      });
      await ctx.api.signIn(email).expect(200);
      const noPassword = await ctx.api
        .post('/v1/admin/users', { email: uniqueEmail('nopw') }, owner)
        .expect(201);
      await ctx.api.signIn(noPassword.body.email, PASSWORD).expect(401);
      const taken = await ctx.api.post('/v1/admin/users', { email }, owner).expect(409);
      expect(taken.body.code).toBe('email_taken');
      const weak = await ctx.api
        .post('/v1/admin/users', { email: uniqueEmail('w'), password: 'password1234' }, owner)
        .expect(422);
      expect(weak.body.code).toBe('weak_password');

      const log = await ctx.db(ctx.main).auditLog.list({ limit: 50, action: 'user.created' });
      expect(log.rows.find((row) => row.userId === created.body.id)?.actor).toMatch(/^cp-admin:/);
    });

    it('lists by email prefix with cursor pagination', async () => {
      const prefix = `page-${Date.now()}`;
      for (let i = 0; i < 3; i += 1) await ctx.api.newUser(`${prefix}-${i}`);
      const first = await ctx.viaHeader
        .get(`/v1/admin/users?limit=2&email=${prefix.toUpperCase()}`, viewer)
        .expect(200);
      expect(first.body.data).toHaveLength(2);
      expect(first.body.next_cursor).toEqual(expect.any(String));
      const second = await ctx.api
        .get(`/v1/admin/users?limit=2&email=${prefix}&cursor=${first.body.next_cursor}`, viewer)
        .expect(200);
      expect(second.body.data).toHaveLength(1);
      expect(second.body.next_cursor).toBeNull();
      const emails = [...first.body.data, ...second.body.data].map(
        (u: { email: string }) => u.email,
      );
      expect(emails.every((e) => e.startsWith(prefix))).toBe(true);
      const bad = await ctx.api.get('/v1/admin/users?cursor=not-a-cursor', viewer).expect(400);
      expect(bad.body.code).toBe('invalid_cursor');
    });

    it('gets, updates, disables, signs out and deletes a user', async () => {
      const { id, email, tokens } = await ctx.api.newUser('managed');
      await ctx.api.get(`/v1/admin/users/${id}`, viewer).expect(200);
      const missing = await ctx.api.get('/v1/admin/users/no-such-user', viewer).expect(404);
      expect(missing.body.code).toBe('user_not_found');
      await ctx.api.patch(`/v1/admin/users/${id}`, { name: 'x' }, viewer).expect(403);

      const patched = await ctx.api
        .patch(`/v1/admin/users/${id}`, { name: 'Renamed', metadata: { plan: 'pro' } }, owner)
        .expect(200);
      expect(patched.body).toMatchObject({ name: 'Renamed', metadata: { plan: 'pro' } });

      const disabled = await ctx.api
        .patch(`/v1/admin/users/${id}`, { disabled: true }, owner)
        .expect(200);
      expect(disabled.body.status).toBe('disabled');
      await ctx.api.get('/v1/me', tokens.access_token).expect(401);
      const refused = await ctx.api.signIn(email).expect(401);
      expect(refused.body.code).toBe('invalid_credentials');

      await ctx.api.patch(`/v1/admin/users/${id}`, { disabled: false }, owner).expect(200);
      const back = (await ctx.api.signIn(email).expect(200)).body.access_token as string;
      await ctx.api.post(`/v1/admin/users/${id}/sign-out`, undefined, owner).expect(204);
      await ctx.api.get('/v1/me', back).expect(401);

      await ctx.api.del(`/v1/admin/users/${id}`, owner).expect(204);
      await ctx.api.get(`/v1/admin/users/${id}`, owner).expect(404);
      await ctx.api.del(`/v1/admin/users/${id}`, owner).expect(404);
      await ctx.api.signIn(email).expect(401);

      const log = await ctx.db(ctx.main).auditLog.list({ limit: 50, userId: id });
      const actions = log.rows.map((row) => row.action);
      for (const action of ['user.updated', 'user.signed_out_everywhere', 'user.deleted']) {
        expect(actions).toContain(action);
      }
    });

    it('manages only the tenant it is called for', async () => {
      const { id } = await ctx.api.newUser('scoped');
      await ctx.otherApi.get(`/v1/admin/users/${id}`, owner).expect(404);
      await ctx.otherApi.del(`/v1/admin/users/${id}`, owner).expect(404);
      await ctx.api.get(`/v1/admin/users/${id}`, owner).expect(200);
    });
  });
}
