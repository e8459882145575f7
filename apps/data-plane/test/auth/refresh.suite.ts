import { setTimeout as sleep } from 'node:timers/promises';
import type { AuthContext } from '../support/auth-context';
import { tenantApi, type TenantApi, type Tokens } from '../support/auth-client';

async function sessionExpiry(api: TenantApi, tokens: Tokens): Promise<string> {
  const res = await api.get('/v1/sessions', tokens.access_token).expect(200);
  return res.body.data[0].expires_at as string;
}

export function describeRefresh(ctx: AuthContext): void {
  describe('refresh', () => {
    it('rotates: a new pair, the old refresh token spent', async () => {
      const { tokens } = await ctx.api.newUser('rotate');
      const next = (await ctx.api.refresh(tokens.refresh_token).expect(200)).body as Tokens;
      expect(next.refresh_token).not.toBe(tokens.refresh_token);
      expect(next.access_token).not.toBe(tokens.access_token);
      const third = (await ctx.viaHeader.refresh(next.refresh_token).expect(200)).body as Tokens;
      await ctx.api.get('/v1/me', third.access_token).expect(200);
    });

    it('answers 401 refresh_token_invalid for unknown tokens and tokens of another tenant', async () => {
      const { tokens } = await ctx.api.newUser('invalid');
      const unknown = await ctx.api.refresh('hjrt_not-a-real-token').expect(401);
      expect(unknown.body.code).toBe('refresh_token_invalid');
      const cross = await ctx.otherApi.refresh(tokens.refresh_token).expect(401);
      expect(cross.body.code).toBe('refresh_token_invalid');
      // The attempt at the other tenant did not spend or revoke anything here.
      await ctx.api.refresh(tokens.refresh_token).expect(200);
    });

    it('gives 5 concurrent refreshes of one token the same successor, session alive', async () => {
      const { id, tokens } = await ctx.api.newUser('tabs');
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => ctx.api.refresh(tokens.refresh_token)),
      );
      expect(answers.map((res) => res.status)).toEqual([200, 200, 200, 200, 200]);
      const successors = new Set(answers.map((res) => res.body.refresh_token as string));
      expect(successors.size).toBe(1);
      for (const res of answers) await ctx.api.get('/v1/me', res.body.access_token).expect(200);
      // Exactly one live successor: spending it works, and the session is still the one.
      const [successor] = [...successors] as [string];
      const after = (await ctx.api.refresh(successor).expect(200)).body as Tokens;
      await ctx.api.get('/v1/me', after.access_token).expect(200);
      const sessions = await ctx.db(ctx.main).sessions.listActiveForUser(id);
      expect(sessions).toHaveLength(1);
    });

    it('revokes the session on reuse once the successor was spent', async () => {
      const { tokens } = await ctx.api.newUser('reuse');
      const second = (await ctx.api.refresh(tokens.refresh_token).expect(200)).body as Tokens;
      const third = (await ctx.api.refresh(second.refresh_token).expect(200)).body as Tokens;
      const reused = await ctx.api.refresh(tokens.refresh_token).expect(401);
      expect(reused.body.code).toBe('refresh_token_reused');
      expect((await ctx.api.refresh(third.refresh_token).expect(401)).body.code).toBe(
        'refresh_token_invalid',
      );
      await ctx.api.get('/v1/me', third.access_token).expect(401);
    });

    it('revokes on reuse after the reuse interval (1 s), and at once with interval 0', async () => {
      const slow = await ctx.system.createTenant('interval', { refresh_reuse_interval: 1 });
      const none = await ctx.system.createTenant('nointerval', { refresh_reuse_interval: 0 });
      const slowApi = tenantApi(ctx.system.dp.url, slow);
      const noneApi = tenantApi(ctx.system.dp.url, none);

      const a = await slowApi.newUser('late');
      const aNext = (await slowApi.refresh(a.tokens.refresh_token).expect(200)).body as Tokens;
      expect((await slowApi.refresh(a.tokens.refresh_token).expect(200)).body.refresh_token).toBe(
        aNext.refresh_token,
      );
      await sleep(1_200);
      const late = await slowApi.refresh(a.tokens.refresh_token).expect(401);
      expect(late.body.code).toBe('refresh_token_reused');
      await slowApi.get('/v1/me', aNext.access_token).expect(401);

      const b = await noneApi.newUser('now');
      const bNext = (await noneApi.refresh(b.tokens.refresh_token).expect(200)).body as Tokens;
      const now = await noneApi.refresh(b.tokens.refresh_token).expect(401);
      expect(now.body.code).toBe('refresh_token_reused');
      await noneApi.refresh(bNext.refresh_token).expect(401);

      const log = await ctx.db(none).auditLog.list({ limit: 10, action: 'refresh_token.reused' });
      expect(log.rows).toHaveLength(1);
      expect(log.rows[0]).toMatchObject({ userId: b.id, outcome: 'denied' });
    });

    it('slides the session expiry on refresh, or keeps it fixed in absolute mode', async () => {
      const absolute = await ctx.system.createTenant('absolute', {
        refresh_token_mode: 'absolute',
      });
      const absoluteApi = tenantApi(ctx.system.dp.url, absolute);
      for (const [api, slides] of [
        [ctx.api, true],
        [absoluteApi, false],
      ] as const) {
        const { tokens } = await api.newUser('mode');
        const before = await sessionExpiry(api, tokens);
        await sleep(20);
        const next = (await api.refresh(tokens.refresh_token).expect(200)).body as Tokens;
        const after = await sessionExpiry(api, next);
        if (slides) expect(Date.parse(after)).toBeGreaterThan(Date.parse(before));
        else expect(after).toBe(before);
      }
    });
  });

  describe('sign-out', () => {
    it('ends the bearer token’s session (204): its access and refresh tokens stop working', async () => {
      const { tokens } = await ctx.api.newUser('out');
      await ctx.api.post('/v1/auth/sign-out', {}, tokens.access_token).expect(204);
      await ctx.api.get('/v1/me', tokens.access_token).expect(401);
      expect((await ctx.api.refresh(tokens.refresh_token).expect(401)).body.code).toBe(
        'refresh_token_invalid',
      );
    });

    it('ends the session of a refresh token (204), and answers 204 for unknown ones', async () => {
      const { tokens } = await ctx.api.newUser('outrt');
      await ctx.viaHeader
        .post('/v1/auth/sign-out', { refresh_token: tokens.refresh_token })
        .expect(204);
      await ctx.api.get('/v1/me', tokens.access_token).expect(401);
      await ctx.api.post('/v1/auth/sign-out', { refresh_token: 'hjrt_unknown' }).expect(204);
      const neither = await ctx.api.post('/v1/auth/sign-out').expect(401);
      expect(neither.body.code).toBe('unauthenticated');
      const badBearer = await ctx.api.post('/v1/auth/sign-out', undefined, 'garbage').expect(401);
      expect(badBearer.body.code).toBe('invalid_token');
    });

    it('sign-out-all ends every session of the user, and only theirs', async () => {
      const { id, email, tokens } = await ctx.api.newUser('outall');
      const second = (await ctx.api.signIn(email).expect(200)).body as Tokens;
      const bystander = await ctx.api.newUser('bystander');
      await ctx.api.post('/v1/auth/sign-out-all', undefined, second.access_token).expect(204);
      for (const t of [tokens, second]) await ctx.api.get('/v1/me', t.access_token).expect(401);
      await ctx.api.get('/v1/me', bystander.tokens.access_token).expect(200);
      await ctx.api.post('/v1/auth/sign-out-all').expect(401);

      const log = await ctx.db(ctx.main).auditLog.list({ limit: 10, userId: id });
      expect(log.rows.map((row) => row.action)).toContain('user.signed_out_everywhere');
    });
  });
}
