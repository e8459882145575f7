import type { TenantDb } from '@hellojohn/dal';
import { generateLinkToken } from '../src/one-time-tokens/link-token';
import {
  NEW_PASSWORD,
  PASSWORD,
  tenantApi,
  uniqueEmail,
  type TenantApi,
} from './support/auth-client';
import type { DpSystem, TestTenant } from './support/dp-system';
import {
  codeIn,
  linkTokenIn,
  startMailCatcher,
  type MailCatcher,
  mailEnv,
} from './support/mail-catcher';

/**
 * The mail flows end to end (docs/mail.md): each mail is really sent over SMTP to an in-process
 * server, and its link or code read from what arrived. `start` runs the data plane with the env
 * given (the SMTP server's) on the tenant database server and broker of the variant.
 */
export function emailFlowsSuite(
  name: string,
  start: (env: Record<string, string>) => Promise<DpSystem>,
): void {
  describe(`mail flows (password reset, verification, magic link, email OTP) ${name}`, () => {
    let mail: MailCatcher;
    let system: DpSystem;
    let main: TestTenant;
    let other: TestTenant;
    let api: TenantApi;
    let otherApi: TenantApi;
    const db = (tenant: TestTenant): TenantDb =>
      system.dp.deps.pools.get({ tenantId: tenant.id, database: { mode: 'managed' } });

    beforeAll(async () => {
      mail = await startMailCatcher();
      system = await start(mailEnv(mail));
      main = await system.createTenant('mail');
      other = await system.createTenant('mail-other');
      api = tenantApi(system.dp.url, main);
      otherApi = tenantApi(system.dp.url, other);
    });
    afterAll(async () => {
      await system.close();
      await mail.close();
    });

    async function auditActions(tenant: TestTenant, userId: string): Promise<string[]> {
      const page = await db(tenant).auditLog.list({ limit: 100, userId });
      return page.rows.map((row) => `${row.action}:${row.outcome}`);
    }

    describe('password reset', () => {
      it('mails a link that sets a new password once and ends every session', async () => {
        const user = await api.newUser('reset');
        const second = await api.signIn(user.email).expect(200);
        const res = await api.post('/v1/auth/password/forgot', { email: user.email }).expect(202);
        expect(res.body).toEqual({ status: 'accepted' });
        const token = linkTokenIn(await mail.next(user.email), '/login/reset');

        // A weak password does not spend the link.
        const weak = await api.post('/v1/auth/password/reset', { token, password: 'short' });
        expect(weak.status).toBe(422);
        expect(weak.body.code).toBe('weak_password');

        const done = await api
          .post('/v1/auth/password/reset', { token, password: NEW_PASSWORD })
          .expect(200);
        expect(done.body).toEqual({ status: 'password_reset' });
        expect(done.headers['cache-control']).toBe('no-store');

        // Every session is over: refresh tokens and access tokens alike.
        await api.refresh(user.tokens.refresh_token).expect(401);
        await api.refresh(second.body.refresh_token as string).expect(401);
        await api.get('/v1/me', user.tokens.access_token).expect(401);
        await api.signIn(user.email, PASSWORD).expect(401);
        await api.signIn(user.email, NEW_PASSWORD).expect(200);

        // Single use.
        const again = await api.post('/v1/auth/password/reset', { token, password: NEW_PASSWORD });
        expect(again.status).toBe(400);
        expect(again.body.code).toBe('invalid_link_token');
        expect(await auditActions(main, user.id)).toEqual(
          expect.arrayContaining(['password.reset_requested:success', 'password.reset:success']),
        );
      });

      it('kills the other reset links of the user once one is used', async () => {
        const user = await api.newUser('reset-two');
        await api.post('/v1/auth/password/forgot', { email: user.email }).expect(202);
        const first = linkTokenIn(await mail.next(user.email), '/login/reset');
        await api.post('/v1/auth/password/forgot', { email: user.email }).expect(202);
        const second = linkTokenIn(await mail.next(user.email), '/login/reset');
        await api
          .post('/v1/auth/password/reset', { token: second, password: NEW_PASSWORD })
          .expect(200);
        const stale = await api.post('/v1/auth/password/reset', {
          token: first,
          password: PASSWORD,
        });
        expect(stale.status).toBe(400);
        expect(stale.body.code).toBe('invalid_link_token');
      });

      it('answers an unknown address exactly like a known one, and mails nothing', async () => {
        const known = await api.newUser('reset-known');
        const unknown = uniqueEmail('nobody');
        const a = await api.post('/v1/auth/password/forgot', { email: unknown });
        const b = await api.post('/v1/auth/password/forgot', { email: known.email });
        expect([a.status, b.status]).toEqual([202, 202]);
        expect(a.body).toEqual(b.body);
        await mail.next(known.email);
        expect(mail.pending(unknown)).toEqual([]);
      });

      it('refuses a link of another tenant, a made-up link and an expired link', async () => {
        const user = await api.newUser('reset-cross');
        await api.post('/v1/auth/password/forgot', { email: user.email }).expect(202);
        const token = linkTokenIn(await mail.next(user.email), '/login/reset');
        const cross = await otherApi.post('/v1/auth/password/reset', {
          token,
          password: NEW_PASSWORD,
        });
        expect(cross.status).toBe(400);
        expect(cross.body.code).toBe('invalid_link_token');
        const madeUp = await api.post('/v1/auth/password/reset', {
          token: generateLinkToken().token,
          password: NEW_PASSWORD,
        });
        expect(madeUp.body.code).toBe('invalid_link_token');

        const expired = generateLinkToken();
        await db(main).oneTimeTokens.create({
          userId: user.id,
          purpose: 'password_reset',
          secretHash: expired.hash,
          email: user.email,
          maxAttempts: 1,
          expiresAt: new Date(Date.now() - 1000),
        });
        const late = await api.post('/v1/auth/password/reset', {
          token: expired.token,
          password: NEW_PASSWORD,
        });
        expect(late.status).toBe(400);
        expect(late.body.code).toBe('invalid_link_token');
        // The real link still works in its own tenant.
        await api.post('/v1/auth/password/reset', { token, password: NEW_PASSWORD }).expect(200);
      });

      it('refuses a malformed token with a clear 400', async () => {
        const res = await api.post('/v1/auth/password/reset', {
          token: 'a b',
          password: NEW_PASSWORD,
        });
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('validation_failed');
      });
    });

    describe('email verification', () => {
      it('verifies the address with the mailed link, once, in its own tenant only', async () => {
        const user = await api.newUser('verify');
        const me = await api.get('/v1/me', user.tokens.access_token).expect(200);
        expect(me.body.email_verified).toBe(false);
        await api
          .post('/v1/auth/email/verify/send', undefined, user.tokens.access_token)
          .expect(202);
        const token = linkTokenIn(await mail.next(user.email), '/login/verify-email');

        const cross = await otherApi.post('/v1/auth/email/verify', { token });
        expect(cross.status).toBe(400);
        expect(cross.body.code).toBe('invalid_link_token');

        const res = await api.post('/v1/auth/email/verify', { token }).expect(200);
        expect(res.body).toEqual({ email: user.email, email_verified: true });
        const after = await api.get('/v1/me', user.tokens.access_token).expect(200);
        expect(after.body.email_verified).toBe(true);
        const again = await api.post('/v1/auth/email/verify', { token });
        expect(again.status).toBe(400);
        expect(await auditActions(main, user.id)).toEqual(
          expect.arrayContaining(['email.verification_sent:success', 'email.verified:success']),
        );
      });

      it('needs a bearer token to send', async () => {
        const res = await api.post('/v1/auth/email/verify/send');
        expect(res.status).toBe(401);
      });

      it('limits the mails one account asks for, from any address (mail_send_user)', async () => {
        const user = await api.newUser('verify-limit');
        const other = await api.newUser('verify-other');
        // Each call comes from another IP (the test client's X-Forwarded-For): only the
        // account's budget, 5 per 5 minutes, can stop the sixth.
        for (let i = 0; i < 5; i += 1) {
          await api
            .post('/v1/auth/email/verify/send', undefined, user.tokens.access_token)
            .expect(202);
        }
        const refused = await api.post(
          '/v1/auth/email/verify/send',
          undefined,
          user.tokens.access_token,
        );
        expect(refused.status).toBe(429);
        expect(refused.headers['retry-after']).toBeDefined();
        await api
          .post('/v1/auth/email/verify/send', undefined, other.tokens.access_token)
          .expect(202);
      });
    });

    describe('magic link', () => {
      it('signs in with the mailed link, once', async () => {
        const user = await api.newUser('magic');
        await api.post('/v1/auth/magic-link', { email: user.email }).expect(202);
        const token = linkTokenIn(await mail.next(user.email), '/login/magic');
        const res = await api.post('/v1/auth/magic-link/verify', { token }).expect(200);
        expect(res.body.token_type).toBe('Bearer');
        const me = await api.get('/v1/me', res.body.access_token as string).expect(200);
        expect(me.body.id).toBe(user.id);
        // Receiving the link proved the mailbox.
        expect(me.body.email_verified).toBe(true);
        const again = await api.post('/v1/auth/magic-link/verify', { token });
        expect(again.status).toBe(400);
        expect(again.body.code).toBe('invalid_link_token');
        expect(await auditActions(main, user.id)).toEqual(
          expect.arrayContaining(['magic_link.sent:success', 'magic_link.used:success']),
        );
      });

      it('gives a disabled user the generic error', async () => {
        const user = await api.newUser('magic-disabled');
        await api.post('/v1/auth/magic-link', { email: user.email }).expect(202);
        const token = linkTokenIn(await mail.next(user.email), '/login/magic');
        await db(main).users.update(user.id, { status: 'disabled' });
        const res = await api.post('/v1/auth/magic-link/verify', { token });
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('invalid_link_token');
      });

      it('answers 202 for an unknown address and mails nothing', async () => {
        const unknown = uniqueEmail('magic-nobody');
        const known = await api.newUser('magic-known');
        const a = await api.post('/v1/auth/magic-link', { email: unknown }).expect(202);
        const b = await api.post('/v1/auth/magic-link', { email: known.email }).expect(202);
        expect(a.body).toEqual(b.body);
        await mail.next(known.email);
        expect(mail.pending(unknown)).toEqual([]);
      });
    });

    describe('require_email_verification', () => {
      it('mails a link on sign-up and refuses sign-in (403, no tokens) until it is used', async () => {
        const strict = await system.createTenant('mail-strict', {
          require_email_verification: true,
        });
        const strictApi = tenantApi(system.dp.url, strict);
        const email = uniqueEmail('strict');
        const signUp = await strictApi.signUp(email).expect(202);
        expect(signUp.body).toEqual({ status: 'accepted' });
        const token = linkTokenIn(await mail.next(email), '/login/verify-email');
        const early = await strictApi.signIn(email);
        expect(early.status).toBe(403);
        expect(early.body.code).toBe('email_not_verified');
        expect(early.body.access_token).toBeUndefined();
        // A wrong password says nothing about verification.
        const wrong = await strictApi.signIn(email, NEW_PASSWORD);
        expect(wrong.status).toBe(401);
        await strictApi.post('/v1/auth/email/verify', { token }).expect(200);
        await strictApi.signIn(email).expect(200);
      });
    });

    describe('email OTP', () => {
      it('signs in with the mailed code, once', async () => {
        const user = await api.newUser('otp');
        await api.post('/v1/auth/email-otp', { email: user.email }).expect(202);
        const code = codeIn(await mail.next(user.email));
        const wrong = code === '000000' ? '000001' : '000000';
        const miss = await api.post('/v1/auth/email-otp/verify', {
          email: user.email,
          code: wrong,
        });
        expect(miss.status).toBe(401);
        expect(miss.body.code).toBe('invalid_one_time_code');
        const res = await api
          .post('/v1/auth/email-otp/verify', { email: user.email, code })
          .expect(200);
        await api.get('/v1/me', res.body.access_token as string).expect(200);
        const again = await api.post('/v1/auth/email-otp/verify', { email: user.email, code });
        expect(again.status).toBe(401);
        expect(again.body.code).toBe('invalid_one_time_code');
      });

      it('kills the code after 5 wrong tries', async () => {
        const user = await api.newUser('otp-five');
        await api.post('/v1/auth/email-otp', { email: user.email }).expect(202);
        const code = codeIn(await mail.next(user.email));
        const wrong = code === '000000' ? '000001' : '000000';
        for (let i = 0; i < 5; i++) {
          await api
            .post('/v1/auth/email-otp/verify', { email: user.email, code: wrong })
            .expect(401);
        }
        const dead = await api.post('/v1/auth/email-otp/verify', { email: user.email, code });
        expect(dead.status).toBe(401);
        expect(dead.body.code).toBe('invalid_one_time_code');
      });

      it('replaces the previous code with a new one', async () => {
        const user = await api.newUser('otp-new');
        await api.post('/v1/auth/email-otp', { email: user.email }).expect(202);
        const first = codeIn(await mail.next(user.email));
        await api.post('/v1/auth/email-otp', { email: user.email }).expect(202);
        const second = codeIn(await mail.next(user.email));
        if (first !== second) {
          await api
            .post('/v1/auth/email-otp/verify', { email: user.email, code: first })
            .expect(401);
        }
        await api
          .post('/v1/auth/email-otp/verify', { email: user.email, code: second })
          .expect(200);
      });

      it('answers an unknown address like a wrong code, and a code of another tenant fails', async () => {
        const unknown = await api.post('/v1/auth/email-otp/verify', {
          email: uniqueEmail('otp-nobody'),
          code: '123456',
        });
        expect(unknown.status).toBe(401);
        expect(unknown.body.code).toBe('invalid_one_time_code');

        const user = await api.newUser('otp-cross');
        await otherApi.signUp(user.email).expect(201);
        await api.post('/v1/auth/email-otp', { email: user.email }).expect(202);
        const code = codeIn(await mail.next(user.email));
        const cross = await otherApi.post('/v1/auth/email-otp/verify', { email: user.email, code });
        expect(cross.status).toBe(401);
        expect(cross.body.code).toBe(unknown.body.code);
        expect(cross.body.detail).toBe(unknown.body.detail);
        await api.post('/v1/auth/email-otp/verify', { email: user.email, code }).expect(200);
      });
    });
  });
}
