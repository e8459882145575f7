import type { AuthContext } from '../support/auth-context';
import { PASSWORD, tenantApi, uniqueEmail } from '../support/auth-client';

export function describeSignUpAndIn(ctx: AuthContext): void {
  describe('sign-up', () => {
    it('creates an account, answers user + tokens, and audits it', async () => {
      const email = uniqueEmail('ada');
      const res = await ctx.viaHeader
        .post('/v1/auth/sign-up', { email, password: PASSWORD, name: 'Ada' })
        .expect(201);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toMatchObject({
        user: { email, name: 'Ada', email_verified: false, metadata: {} },
        token_type: 'Bearer',
        expires_in: 900,
      });
      expect(res.body.refresh_token).toMatch(/^hjrt_/);
      const me = await ctx.api.get('/v1/me', res.body.access_token).expect(200);
      expect(me.body.id).toBe(res.body.user.id);

      const log = await ctx.db(ctx.main).auditLog.list({ limit: 10, userId: res.body.user.id });
      const signUp = log.rows.find((row) => row.action === 'user.signed_up');
      expect(signUp).toMatchObject({ outcome: 'success', actor: `user:${res.body.user.id}` });
      expect(signUp?.ip).toMatch(/^198\.51\./);
      expect(signUp?.requestId).toBe(res.headers['x-request-id']);
      expect(JSON.stringify(log.rows)).not.toContain(PASSWORD);
    });

    it('normalises the email: case, spaces and Unicode forms are one account (409)', async () => {
      const local = `Grace-${Date.now()}`;
      await ctx.api.signUp(`  ${local}@Example.COM `).expect(201);
      const again = await ctx.api.signUp(`${local.toLowerCase()}@example.com`).expect(409);
      expect(again.body.code).toBe('email_taken');
      expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);
      // Full-width letters fold to ASCII under NFKC.
      const fullWidth = `${local.toLowerCase()}@ｅｘａｍｐｌｅ.ｃｏｍ`;
      expect((await ctx.api.signUp(fullWidth)).status).toBe(409);
      await ctx.api.signIn(`${local.toUpperCase()}@EXAMPLE.com`).expect(200);
    });

    it('applies the password policy: length and the common list (422 naming body.password)', async () => {
      for (const password of ['short pass', 'password1234', 'Qwerty123456']) {
        const res = await ctx.api.signUp(uniqueEmail('weak'), password).expect(422);
        expect(res.body.code).toBe('weak_password');
        expect(res.body.errors).toEqual([
          { path: 'body.password', message: expect.any(String) as unknown },
        ]);
      }
    });

    it('rejects unknown or malformed fields (400 validation_failed)', async () => {
      const extra = await ctx.api
        .post('/v1/auth/sign-up', { email: uniqueEmail('x'), password: PASSWORD, admin: true })
        .expect(400);
      expect(extra.body.code).toBe('validation_failed');
      const bad = await ctx.api.post('/v1/auth/sign-up', { email: 'nope', password: PASSWORD });
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].path).toBe('body.email');
    });

    it('answers 403 sign_up_disabled where the tenant turned sign-up off', async () => {
      const closed = await ctx.system.createTenant('closed', { sign_up_enabled: false });
      const res = await tenantApi(ctx.system.dp.url, closed).signUp(uniqueEmail('x')).expect(403);
      expect(res.body.code).toBe('sign_up_disabled');
    });

    it('with enumeration protection, answers 202 alike for new and taken emails', async () => {
      const tenant = await ctx.system.createTenant('quiet', {
        enumeration_protection: true,
        password_policy: { min_length: 16 },
      });
      const api = tenantApi(ctx.system.dp.url, tenant);
      const email = uniqueEmail('quiet');
      const first = await api.signUp(email, 'sixteen chars ok!').expect(202);
      const second = await api.signUp(email, 'another sixteen!!').expect(202);
      expect(first.body).toEqual({ status: 'accepted' });
      expect(second.body).toEqual(first.body);
      await api.signIn(email, 'sixteen chars ok!').expect(200);
      // The tenant's own policy: 16 characters minimum.
      expect((await api.signUp(uniqueEmail('q'), 'fifteen chars!!')).body.code).toBe(
        'weak_password',
      );
    });
  });

  describe('sign-in', () => {
    it('answers one 401 invalid_credentials for a wrong password and an unknown email', async () => {
      const { id, email } = await ctx.api.newUser('signin');
      const wrong = await ctx.api.signIn(email, 'not the password at all').expect(401);
      const unknown = await ctx.api.signIn(uniqueEmail('ghost')).expect(401);
      expect(wrong.body.code).toBe('invalid_credentials');
      const shape = (body: Record<string, unknown>) => ({ ...body, instance: undefined });
      expect(shape(unknown.body)).toEqual(shape(wrong.body));
      const ok = await ctx.viaHeader.signIn(email).expect(200);
      expect(ok.body.token_type).toBe('Bearer');

      const log = await ctx.db(ctx.main).auditLog.list({ limit: 20, action: 'user.signed_in' });
      const mine = log.rows.filter((row) => row.userId === id).map((row) => row.outcome);
      expect(mine.sort()).toEqual(['failure', 'success']);
      expect(log.rows.some((row) => row.details['reason'] === 'unknown_email')).toBe(true);
    });

    it('keeps tenants apart: a user of one tenant cannot sign in at another', async () => {
      const { email } = await ctx.api.newUser('apart');
      const res = await ctx.otherApi.signIn(email).expect(401);
      expect(res.body.code).toBe('invalid_credentials');
    });
  });
}
