import type { AuthContext } from '../support/auth-context';
import { NEW_PASSWORD, PASSWORD, type Tokens } from '../support/auth-client';

export function describeAccount(ctx: AuthContext): void {
  describe('me', () => {
    it('reads and patches the profile; metadata is limited to 8 KiB', async () => {
      const { id, tokens } = await ctx.api.newUser('me');
      const patched = await ctx.api
        .patch('/v1/me', { name: 'Ada L.', metadata: { theme: 'dark', n: 1 } }, tokens.access_token)
        .expect(200);
      expect(patched.body).toMatchObject({ id, name: 'Ada L.', metadata: { theme: 'dark', n: 1 } });
      const me = await ctx.viaHeader.get('/v1/me', tokens.access_token).expect(200);
      expect(me.body.name).toBe('Ada L.');
      await ctx.api.patch('/v1/me', { name: null }, tokens.access_token).expect(200);

      const big = await ctx.api
        .patch('/v1/me', { metadata: { blob: 'x'.repeat(9000) } }, tokens.access_token)
        .expect(400);
      expect(big.body.errors[0].path).toBe('body.metadata');
      const extra = await ctx.api.patch('/v1/me', { email: 'x@y.z' }, tokens.access_token);
      expect(extra.body.code).toBe('validation_failed');
      await ctx.api.patch('/v1/me', { name: 'x' }).expect(401);
    });

    it('rejects the access token of a session that ended by time (@see issue 15)', async () => {
      const { tokens } = await ctx.api.newUser('expired');
      // Moved to the past before the first check: a check the bearer guard cached holds the
      // expiry it read (a session's expiry only ever moves forward; guards/live-session-cache.ts).
      const sid = (
        JSON.parse(
          Buffer.from(tokens.access_token.split('.')[1] ?? '', 'base64url').toString(),
        ) as {
          sid: string;
        }
      ).sid;
      const past = new Date(Date.now() - 1000);
      expect(await ctx.db(ctx.main).sessions.touch(sid, past, past)).toBe(true);
      const res = await ctx.api.get('/v1/me', tokens.access_token).expect(401);
      expect(res.body.code).toBe('invalid_token');
    });

    it('rejects an access token of another tenant', async () => {
      const { tokens } = await ctx.api.newUser('crossme');
      const res = await ctx.otherApi.get('/v1/me', tokens.access_token).expect(401);
      expect(res.body.code).toBe('invalid_token');
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    });

    it('changes the password: current required, policy applied, other sessions ended', async () => {
      const { id, email, tokens } = await ctx.api.newUser('pw');
      const other = (await ctx.api.signIn(email).expect(200)).body as Tokens;
      const wrong = await ctx.api
        .post(
          '/v1/me/password',
          { current_password: 'wrong password here', new_password: NEW_PASSWORD },
          tokens.access_token,
        )
        .expect(401);
      expect(wrong.body.code).toBe('invalid_credentials');
      const weak = await ctx.api
        .post(
          '/v1/me/password',
          { current_password: PASSWORD, new_password: 'password1234' },
          tokens.access_token,
        )
        .expect(422);
      expect(weak.body.errors[0].path).toBe('body.new_password');

      await ctx.api
        .post(
          '/v1/me/password',
          { current_password: PASSWORD, new_password: NEW_PASSWORD },
          tokens.access_token,
        )
        .expect(204);
      await ctx.api.get('/v1/me', tokens.access_token).expect(200);
      await ctx.api.get('/v1/me', other.access_token).expect(401);
      await ctx.api.signIn(email, PASSWORD).expect(401);
      await ctx.api.signIn(email, NEW_PASSWORD).expect(200);

      const log = await ctx
        .db(ctx.main)
        .auditLog.list({ limit: 20, action: 'user.password_changed' });
      const mine = log.rows.filter((row) => row.userId === id).map((row) => row.outcome);
      expect(mine.sort()).toEqual(['failure', 'success']);
    });

    it('deletes the account with its password; the user and sessions are gone', async () => {
      const { id, email, tokens } = await ctx.api.newUser('bye');
      const wrong = await ctx.api
        .del('/v1/me', tokens.access_token, { password: 'wrong password here' })
        .expect(401);
      expect(wrong.body.code).toBe('invalid_credentials');
      await ctx.api.del('/v1/me', tokens.access_token, { password: PASSWORD }).expect(204);
      await ctx.api.get('/v1/me', tokens.access_token).expect(401);
      await ctx.api.signIn(email).expect(401);
      expect(await ctx.db(ctx.main).users.findById(id)).toBeUndefined();
      expect(await ctx.db(ctx.main).sessions.listActiveForUser(id)).toEqual([]);
      const log = await ctx.db(ctx.main).auditLog.list({ limit: 5, action: 'user.deleted' });
      expect(log.rows.some((row) => row.userId === id && row.outcome === 'success')).toBe(true);
    });
  });

  describe('sessions', () => {
    it('lists own active sessions with the current one marked', async () => {
      const { email, tokens } = await ctx.api.newUser('sess');
      await ctx.api.signIn(email).set('User-Agent', 'second-device/1.0').expect(200);
      const res = await ctx.api.get('/v1/sessions', tokens.access_token).expect(200);
      expect(res.body.next_cursor).toBeNull();
      expect(res.body.data).toHaveLength(2);
      expect(res.body.data.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
      const second = res.body.data.find(
        (s: { user_agent: string | null }) => s.user_agent === 'second-device/1.0',
      );
      expect(second).toMatchObject({ current: false, ip: expect.stringMatching(/^198\.51\./) });
      expect(Object.keys(second).sort()).toEqual(
        ['created_at', 'current', 'expires_at', 'id', 'ip', 'last_used_at', 'user_agent'].sort(),
      );
    });

    it('deletes an own session (204); another user’s or an unknown id -> 404', async () => {
      const { email, tokens } = await ctx.api.newUser('sessdel');
      const other = (await ctx.api.signIn(email).expect(200)).body as Tokens;
      const list = await ctx.api.get('/v1/sessions', tokens.access_token).expect(200);
      const target = list.body.data.find((s: { current: boolean }) => !s.current).id as string;

      const stranger = await ctx.api.newUser('stranger');
      const notYours = await ctx.api
        .del(`/v1/sessions/${target}`, stranger.tokens.access_token)
        .expect(404);
      expect(notYours.body.code).toBe('session_not_found');
      await ctx.api.get('/v1/me', other.access_token).expect(200);

      await ctx.viaHeader.del(`/v1/sessions/${target}`, tokens.access_token).expect(204);
      await ctx.api.get('/v1/me', other.access_token).expect(401);
      await ctx.api.del(`/v1/sessions/${target}`, tokens.access_token).expect(404);
      await ctx.api.del('/v1/sessions/no-such-id', tokens.access_token).expect(404);
      const left = await ctx.api.get('/v1/sessions', tokens.access_token).expect(200);
      expect(left.body.data).toHaveLength(1);
    });
  });
}
