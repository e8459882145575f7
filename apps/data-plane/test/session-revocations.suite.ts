import { randomBytes, randomUUID } from 'node:crypto';
import type { TenantDb } from '@hellojohn/dal';
import type { EventEnvelope } from '@hellojohn/events';
import { eventually } from '@hellojohn/testing';
import {
  NEW_PASSWORD,
  PASSWORD,
  tenantApi,
  type TenantApi,
  type Tokens,
} from './support/auth-client';
import { captureEvents } from './support/capture-events';
import type { DpSystem, TestTenant } from './support/dp-system';
import { linkTokenIn, mailEnv, startMailCatcher, type MailCatcher } from './support/mail-catcher';

/** `session.revoked` data (libs/events `sessionRevokedDataSchema`). */
interface Revoked {
  user_id: string;
  session_id: string;
  reason?: string;
}

/** The `sid` of a first-party access token: the session it belongs to. */
function sessionIdOf(tokens: Tokens): string {
  const payload = tokens.access_token.split('.')[1] ?? '';
  return (JSON.parse(Buffer.from(payload, 'base64url').toString()) as { sid: string }).sid;
}

/**
 * Every way a user's sessions end in bulk (sign-out everywhere, password change and reset, a
 * disabled or deleted user, an admin's sign-out) records one `session.revoked` per session it
 * ended, in the revoking transaction, through the tenant outbox: docs/webhooks.md, "What emits
 * which event". `start` runs the data plane with the env given (the SMTP server's) on the tenant
 * database server of the variant.
 */
export function sessionRevocationsSuite(
  name: string,
  start: (env: Record<string, string>) => Promise<DpSystem>,
): void {
  describe(`session.revoked for bulk revocations ${name}`, () => {
    let mail: MailCatcher;
    let system: DpSystem;
    let tenant: TestTenant;
    let api: TenantApi;
    let db: TenantDb;
    let events: EventEnvelope[];
    let owner: string;

    beforeAll(async () => {
      mail = await startMailCatcher();
      system = await start(mailEnv(mail));
      tenant = await system.createTenant('revocations');
      api = tenantApi(system.dp.url, tenant);
      db = system.dp.deps.pools.get({ tenantId: tenant.id, database: { mode: 'managed' } });
      events = await captureEvents(system.dp.deps.bus, ['session.revoked']);
      owner = await system.cpAdminToken('owner');
    });
    afterAll(async () => {
      await system.close();
      await mail.close();
    });

    /** A new user with `count` live sessions (the sign-up's first); their tokens in order. */
    async function userWithSessions(count: number) {
      const user = await api.newUser('revoked');
      const sessions = [user.tokens];
      while (sessions.length < count) {
        sessions.push((await api.signIn(user.email).expect(200)).body as Tokens);
      }
      const ids = sessions.map(sessionIdOf);
      expect(new Set(ids).size).toBe(count);
      return { ...user, sessions, ids };
    }

    const revocationsOf = (userId: string): Revoked[] =>
      events.map((e) => e.data as Revoked).filter((data) => data.user_id === userId);

    /**
     * Waits until the outbox is drained and `expected` events of the user arrived, then answers
     * them all: one per session id, so a duplicate or an extra session fails the test.
     */
    async function revocationsSettled(
      userId: string,
      expected: number,
      outbox: TenantDb = db,
    ): Promise<Revoked[]> {
      await eventually(async () => {
        expect(await outbox.domainEvents.countUnsent()).toBe(0);
        expect(revocationsOf(userId).length).toBeGreaterThanOrEqual(expected);
      });
      return revocationsOf(userId);
    }

    const sorted = (ids: readonly string[]): string[] => [...ids].sort();

    /** Exactly one `session.revoked` per id in `sessionIds`, each with `reason`, and no other. */
    async function expectRevoked(userId: string, sessionIds: string[], reason: string) {
      const revoked = await revocationsSettled(userId, sessionIds.length);
      expect(sorted(revoked.map((r) => r.session_id))).toEqual(sorted(sessionIds));
      expect(reasons(revoked)).toEqual(new Set([reason]));
    }
    const reasons = (revoked: readonly Revoked[]) => new Set(revoked.map((r) => r.reason));

    it('sign-out everywhere: one per live session, none for one signed out before', async () => {
      const user = await userWithSessions(3);
      const [first, second] = user.sessions;
      await api.post('/v1/auth/sign-out', { refresh_token: first?.refresh_token }).expect(204);
      await api.post('/v1/auth/sign-out-all', undefined, second?.access_token).expect(204);

      const revoked = await revocationsSettled(user.id, 3);
      expect(revoked).toHaveLength(3);
      expect(revoked[0]).toEqual({ user_id: user.id, session_id: user.ids[0], reason: 'sign_out' });
      const all = revoked.slice(1);
      expect(reasons(all)).toEqual(new Set(['sign_out_all']));
      expect(sorted(all.map((r) => r.session_id))).toEqual(sorted(user.ids.slice(1)));
    });

    it('a password change: one per other session, none for the caller’s', async () => {
      const user = await userWithSessions(3);
      const caller = user.sessions[1];
      await api
        .post(
          '/v1/me/password',
          { current_password: PASSWORD, new_password: NEW_PASSWORD },
          caller?.access_token,
        )
        .expect(204);

      const others = user.ids.filter((id) => id !== user.ids[1]);
      await expectRevoked(user.id, others, 'password_changed');
      // The caller's session goes on.
      await api.get('/v1/me', caller?.access_token).expect(200);
    });

    it('a password reset: one per session', async () => {
      const user = await userWithSessions(2);
      await api.post('/v1/auth/password/forgot', { email: user.email }).expect(202);
      const token = linkTokenIn(await mail.next(user.email), '/login/reset');
      await api.post('/v1/auth/password/reset', { token, password: NEW_PASSWORD }).expect(200);

      await expectRevoked(user.id, user.ids, 'password_reset');
    });

    it('disabling a user: one per session, and nothing when disabled again', async () => {
      const user = await userWithSessions(2);
      await api.patch(`/v1/admin/users/${user.id}`, { disabled: true }, owner).expect(200);
      await expectRevoked(user.id, user.ids, 'user_disabled');

      await api.patch(`/v1/admin/users/${user.id}`, { disabled: true }, owner).expect(200);
      await eventually(async () => {
        expect(await db.domainEvents.countUnsent()).toBe(0);
      });
      expect(revocationsOf(user.id)).toHaveLength(2);
    });

    it('an admin sign-out: one per session', async () => {
      const user = await userWithSessions(3);
      await api.post(`/v1/admin/users/${user.id}/sign-out`, undefined, owner).expect(204);
      await expectRevoked(user.id, user.ids, 'admin_sign_out');
    });

    it('deleting a user: one per live session it had', async () => {
      const user = await userWithSessions(2);
      await api.del(`/v1/admin/users/${user.id}`, owner).expect(204);
      await expectRevoked(user.id, user.ids, 'user_deleted');
    });

    it('withdrawing a client’s consent: one per session of that client', async () => {
      const user = await userWithSessions(1);
      const clientId = `hjc_${randomBytes(6).toString('hex')}`;
      await db.consents.grant(user.id, clientId, ['openid']);
      const expiresAt = new Date(Date.now() + 3_600_000);
      const clientSessions = [randomUUID(), randomUUID()];
      for (const id of clientSessions) {
        await db.sessions.create({
          id,
          userId: user.id,
          expiresAt,
          userAgent: null,
          ip: null,
          clientId,
        });
      }
      await api.del(`/v1/me/consents/${clientId}`, user.sessions[0]?.access_token).expect(204);
      await expectRevoked(user.id, clientSessions, 'consent_revoked');
    });

    describe('on a tenant with a session cap and no refresh reuse interval', () => {
      let strict: TestTenant;
      let strictApi: TenantApi;
      let strictDb: TenantDb;
      beforeAll(async () => {
        strict = await system.createTenant('revocations-strict', {
          max_sessions_per_user: 2,
          refresh_reuse_interval: 0,
        });
        strictApi = tenantApi(system.dp.url, strict);
        strictDb = system.dp.deps.pools.get({ tenantId: strict.id, database: { mode: 'managed' } });
      });

      it('a sign-in past the cap: one for the least recently used session', async () => {
        const user = await strictApi.newUser('capped');
        const second = (await strictApi.signIn(user.email).expect(200)).body as Tokens;
        const third = (await strictApi.signIn(user.email).expect(200)).body as Tokens;
        const revoked = await revocationsSettled(user.id, 1, strictDb);
        expect(revoked).toEqual([
          { user_id: user.id, session_id: sessionIdOf(user.tokens), reason: 'session_limit' },
        ]);
        expect([second, third].map(sessionIdOf)).not.toContain(revoked[0]?.session_id);
      });

      it('a replayed refresh token: one for the session it ends', async () => {
        const user = await strictApi.newUser('replayed');
        await strictApi.refresh(user.tokens.refresh_token).expect(200);
        await strictApi.refresh(user.tokens.refresh_token).expect(401);
        await strictApi.refresh(user.tokens.refresh_token).expect(401);
        const revoked = await revocationsSettled(user.id, 1, strictDb);
        expect(revoked).toEqual([
          {
            user_id: user.id,
            session_id: sessionIdOf(user.tokens),
            reason: 'refresh_token_reused',
          },
        ]);
      });
    });
  });
}
