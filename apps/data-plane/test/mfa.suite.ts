import type { TenantDb } from '@hellojohn/dal';
import { Secret, TOTP } from 'otpauth';
import { PASSWORD, tenantApi, type TenantApi } from './support/auth-client';
import type { DpSystem, TestTenant } from './support/dp-system';
import { codeIn, startMailCatcher, type MailCatcher, mailEnv } from './support/mail-catcher';

/** The claims of a JWT, unverified (the tests only read what the server put there). */
function claimsOf(jwt: string): Record<string, unknown> {
  const payload = jwt.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** The code an authenticator app shows for `secret`, `stepsAhead` periods from now. */
function totpCode(secret: string, stepsAhead = 0): string {
  const totp = new TOTP({
    secret: Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
  });
  return totp.generate({ timestamp: Date.now() + stepsAhead * 30_000 });
}

interface Enrolled {
  id: string;
  email: string;
  access: string;
  secret: string;
  factorId: string;
  recoveryCodes: string[];
}

/**
 * MFA through the JSON API (docs/mfa.md): TOTP with codes computed by otpauth, recovery codes,
 * the email factor read from an in-process SMTP server, the sign-in step with its limits, factor
 * management, the admin reset and the tenant policy.
 */
export function mfaSuite(name: string, start: (env: Record<string, string>) => Promise<DpSystem>) {
  describe(`MFA ${name}`, () => {
    let mail: MailCatcher;
    let system: DpSystem;
    let main: TestTenant;
    let api: TenantApi;
    const db = (tenant: TestTenant): TenantDb =>
      system.dp.deps.pools.get({ tenantId: tenant.id, database: { mode: 'managed' } });

    beforeAll(async () => {
      mail = await startMailCatcher();
      system = await start(mailEnv(mail));
      main = await system.createTenant('mfa');
      api = tenantApi(system.dp.url, main);
    });
    afterAll(async () => {
      await system.close();
      await mail.close();
    });

    async function auditActions(tenant: TestTenant, userId: string): Promise<string[]> {
      const page = await db(tenant).auditLog.list({ limit: 100, userId });
      return page.rows.map((row) => `${row.action}:${row.outcome}`);
    }

    /** A new user with a confirmed authenticator app (its confirming code used the current step). */
    async function enrolled(on: TenantApi = api, prefix = 'mfa'): Promise<Enrolled> {
      const user = await on.newUser(prefix);
      const access = user.tokens.access_token;
      const start = await on.post('/v1/mfa/totp', {}, access).expect(201);
      const secret = start.body.secret as string;
      const factorId = start.body.factor_id as string;
      const done = await on
        .post('/v1/mfa/totp/confirm', { factor_id: factorId, code: totpCode(secret) }, access)
        .expect(200);
      return {
        id: user.id,
        email: user.email,
        access,
        secret,
        factorId,
        recoveryCodes: done.body.recovery_codes as string[],
      };
    }

    async function mfaToken(on: TenantApi, email: string): Promise<string> {
      const res = await on.signIn(email).expect(200);
      expect(res.body.mfa_required).toBe(true);
      return res.body.mfa_token as string;
    }

    describe('TOTP', () => {
      it('enrols with a secret, otpauth URI and QR code, and confirms once with recovery codes', async () => {
        const user = await api.newUser('totp');
        const access = user.tokens.access_token;
        const start = await api.post('/v1/mfa/totp', { name: 'Pixel' }, access).expect(201);
        expect(start.headers['cache-control']).toBe('no-store');
        const {
          secret,
          factor_id: factorId,
          otpauth_uri: uri,
          qr_svg: qr,
        } = start.body as Record<string, string>;
        expect(secret).toMatch(/^[A-Z2-7]{32}$/);
        expect(uri).toContain('otpauth://totp/');
        expect(uri).toContain(`issuer=${main.slug}`);
        expect(decodeURIComponent(uri ?? '')).toContain(user.email);
        expect(uri).toMatch(/algorithm=SHA1&digits=6&period=30/);
        expect(qr).toMatch(/^<svg/);

        // The secret is sealed at rest.
        const row = await db(main).mfaFactors.findById(user.id, factorId ?? '');
        expect(row?.secretEncrypted).toMatch(/^v1\./);
        expect(row?.secretEncrypted).not.toContain(secret);

        const pending = await api.get('/v1/mfa/factors', access).expect(200);
        expect(pending.body).toEqual({
          factors: [
            expect.objectContaining({
              id: factorId,
              type: 'totp',
              name: 'Pixel',
              confirmed: false,
            }),
          ],
          recovery_codes_remaining: 0,
        });

        const wrong = await api
          .post('/v1/mfa/totp/confirm', { factor_id: factorId, code: '000000' }, access)
          .expect(401);
        expect(wrong.body.code).toBe('invalid_mfa_code');
        const ok = await api
          .post(
            '/v1/mfa/totp/confirm',
            { factor_id: factorId, code: totpCode(secret ?? '') },
            access,
          )
          .expect(200);
        const codes = ok.body.recovery_codes as string[];
        expect(codes).toHaveLength(10);
        expect(new Set(codes).size).toBe(10);
        for (const code of codes) expect(code).toMatch(/^[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}$/);
        const listed = await api.get('/v1/mfa/factors', access).expect(200);
        expect(listed.body.recovery_codes_remaining).toBe(10);
        expect(listed.body.factors[0]).toMatchObject({
          confirmed: true,
          last_used_at: expect.any(String),
        });
        expect(await auditActions(main, user.id)).toContain('mfa.enrolled:success');

        // Confirming again is refused: the enrolment is over.
        const again = await api
          .post(
            '/v1/mfa/totp/confirm',
            { factor_id: factorId, code: totpCode(secret ?? '', 1) },
            access,
          )
          .expect(404);
        expect(again.body.code).toBe('mfa_factor_not_found');
      });

      it('signs in with password then TOTP: amr pwd+otp+mfa, acr loa:2, kept on refresh; a replayed code is refused', async () => {
        const user = await enrolled();
        const first = await api.signIn(user.email).expect(200);
        expect(first.body).toEqual({
          mfa_required: true,
          mfa_token: expect.stringMatching(/^hjmfa_/),
          factors: [
            { id: user.factorId, type: 'totp', name: 'Authenticator app' },
            { id: null, type: 'recovery_code', name: null },
          ],
          expires_in: 300,
        });
        expect(first.body).not.toHaveProperty('access_token');
        const token = first.body.mfa_token as string;

        // The confirming code's step is spent: the same code again is a replay.
        const replay = await api
          .post('/v1/auth/mfa/verify', {
            mfa_token: token,
            factor: 'totp',
            code: totpCode(user.secret),
          })
          .expect(401);
        expect(replay.body.code).toBe('invalid_mfa_code');

        const next = totpCode(user.secret, 1);
        const res = await api
          .post('/v1/auth/mfa/verify', { mfa_token: token, factor: 'totp', code: next })
          .expect(200);
        expect(res.headers['cache-control']).toBe('no-store');
        const claims = claimsOf(res.body.access_token as string);
        expect(claims.amr).toEqual(['pwd', 'otp', 'mfa']);
        expect(claims.acr).toBe('urn:hellojohn:loa:2');
        await api.get('/v1/me', res.body.access_token as string).expect(200);

        // Single use, and the same code is refused on a new sign-in too.
        await api
          .post('/v1/auth/mfa/verify', { mfa_token: token, factor: 'totp', code: next })
          .expect(401)
          .expect((r) => {
            expect(r.body.code).toBe('mfa_token_invalid');
          });
        const second = await mfaToken(api, user.email);
        await api
          .post('/v1/auth/mfa/verify', { mfa_token: second, factor: 'totp', code: next })
          .expect(401)
          .expect((r) => {
            expect(r.body.code).toBe('invalid_mfa_code');
          });

        const refreshed = await api.refresh(res.body.refresh_token as string).expect(200);
        const after = claimsOf(refreshed.body.access_token as string);
        expect(after.amr).toEqual(['pwd', 'otp', 'mfa']);
        expect(after.acr).toBe('urn:hellojohn:loa:2');
        const actions = await auditActions(main, user.id);
        expect(actions).toEqual(
          expect.arrayContaining([
            'mfa.challenged:success',
            'mfa.verified:success',
            'mfa.failed:failure',
          ]),
        );
      });

      it('lets only one of two concurrent uses of the same code through', async () => {
        const user = await enrolled();
        const [a, b] = [await mfaToken(api, user.email), await mfaToken(api, user.email)];
        const code = totpCode(user.secret, 1);
        const results = await Promise.all(
          [a, b].map((t) =>
            api.post('/v1/auth/mfa/verify', { mfa_token: t, factor: 'totp', code }),
          ),
        );
        expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
      });

      it('kills an mfa_token after 5 wrong codes, and an unknown token is refused', async () => {
        const user = await enrolled();
        const token = await mfaToken(api, user.email);
        for (let i = 0; i < 5; i += 1) {
          await api
            .post('/v1/auth/mfa/verify', { mfa_token: token, factor: 'totp', code: '000000' })
            .expect(401);
        }
        const dead = await api
          .post('/v1/auth/mfa/verify', {
            mfa_token: token,
            factor: 'totp',
            code: totpCode(user.secret, 1),
          })
          .expect(401);
        expect(dead.body.code).toBe('mfa_token_invalid');
        const unknown = await api
          .post('/v1/auth/mfa/verify', {
            mfa_token: `hjmfa_${'x'.repeat(43)}`,
            factor: 'totp',
            code: '123456',
          })
          .expect(401);
        expect(unknown.body.code).toBe('mfa_token_invalid');
        const bad = await api
          .post('/v1/auth/mfa/verify', { mfa_token: token, factor: 'totp' })
          .expect(400);
        expect(bad.body.errors).toEqual([expect.objectContaining({ path: 'body.code' })]);
      });
    });

    describe('limits', () => {
      let strict: TestTenant;
      let strictApi: TenantApi;
      beforeAll(async () => {
        strict = await system.createTenant('mfa-lock', { lockout: { max_failures: 5 } });
        strictApi = tenantApi(system.dp.url, strict);
      });

      it('counts wrong codes in the account lockout: 429 with Retry-After, passwords refused too', async () => {
        const user = await enrolled(strictApi);
        const token = await mfaToken(strictApi, user.email);
        const statuses: number[] = [];
        for (let i = 0; i < 5; i += 1) {
          const res = await strictApi.post('/v1/auth/mfa/verify', {
            mfa_token: token,
            factor: 'totp',
            code: '000000',
          });
          statuses.push(res.status);
        }
        expect(statuses).toEqual([401, 401, 401, 401, 401]);
        const second = await strictApi.signIn(user.email).expect(429);
        expect(second.body.code).toBe('account_locked');
        expect(Number(second.headers['retry-after'])).toBeGreaterThan(0);
      });

      it('keeps counting wrong codes across sign-ins: a right password does not clear them', async () => {
        const user = await enrolled(strictApi);
        const wrong = (token: string) =>
          strictApi.post('/v1/auth/mfa/verify', {
            mfa_token: token,
            factor: 'totp',
            code: '000000',
          });
        const first = await mfaToken(strictApi, user.email);
        for (let i = 0; i < 3; i += 1) expect((await wrong(first)).status).toBe(401);
        // The password clears the password lockout, not the code lockout.
        const second = await mfaToken(strictApi, user.email);
        expect((await wrong(second)).status).toBe(401);
        expect((await wrong(second)).status).toBe(401);
        const locked = await wrong(second);
        expect(locked.status).toBe(429);
        expect(locked.body.code).toBe('account_locked');
        expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
        // Even the right code waits for the window now.
        const right = await strictApi.post('/v1/auth/mfa/verify', {
          mfa_token: second,
          factor: 'totp',
          code: totpCode(user.secret, 1),
        });
        expect(right.status).toBe(429);
        expect(await auditActions(strict, user.id)).toContain('mfa.failed:denied');
      });
    });

    describe('recovery codes', () => {
      it('each code signs in once (any case, with or without dashes); a new set kills the old', async () => {
        const user = await enrolled();
        const [first, second] = user.recoveryCodes;
        const token = await mfaToken(api, user.email);
        const typed = (first ?? '').replace(/-/g, '').toUpperCase();
        const ok = await api
          .post('/v1/auth/mfa/verify', { mfa_token: token, factor: 'recovery_code', code: typed })
          .expect(200);
        expect(claimsOf(ok.body.access_token as string).amr).toEqual(['pwd', 'otp', 'mfa']);
        const again = await mfaToken(api, user.email);
        await api
          .post('/v1/auth/mfa/verify', { mfa_token: again, factor: 'recovery_code', code: first })
          .expect(401);
        const listed = await api.get('/v1/mfa/factors', user.access).expect(200);
        expect(listed.body.recovery_codes_remaining).toBe(9);

        // Regenerating needs re-authentication.
        await api.post('/v1/mfa/recovery-codes', {}, user.access).expect(400);
        await api
          .post('/v1/mfa/recovery-codes', { password: 'not the password at all' }, user.access)
          .expect(401)
          .expect((r) => {
            expect(r.body.code).toBe('invalid_credentials');
          });
        const fresh = await api
          .post('/v1/mfa/recovery-codes', { password: PASSWORD }, user.access)
          .expect(200);
        expect(fresh.body.recovery_codes).toHaveLength(10);
        await api
          .post('/v1/auth/mfa/verify', { mfa_token: again, factor: 'recovery_code', code: second })
          .expect(401);
        const newCode = (fresh.body.recovery_codes as string[])[0];
        await api
          .post('/v1/auth/mfa/verify', { mfa_token: again, factor: 'recovery_code', code: newCode })
          .expect(200);
        expect(await auditActions(main, user.id)).toContain(
          'mfa.recovery_codes_regenerated:success',
        );
      });
    });

    describe('email factor', () => {
      it('needs a verified address, confirms with a mailed code and serves as a second factor', async () => {
        const user = await api.newUser('mail-factor');
        const access = user.tokens.access_token;
        const unverified = await api.post('/v1/mfa/email', {}, access).expect(403);
        expect(unverified.body.code).toBe('email_not_verified');
        await db(main).users.update(user.id, { emailVerified: true });

        const started = await api.post('/v1/mfa/email', {}, access).expect(202);
        expect(started.body).toEqual({ factor_id: expect.any(String), status: 'code_sent' });
        const enrolMail = await mail.next(user.email);
        expect(enrolMail.raw).toMatch(/verification code/);
        const done = await api
          .post('/v1/mfa/email/confirm', { code: codeIn(enrolMail) }, access)
          .expect(200);
        expect(done.body.recovery_codes).toHaveLength(10);

        const token = await mfaToken(api, user.email);
        const challenged = await api
          .post('/v1/auth/mfa/challenge', { mfa_token: token, factor: 'email_otp' })
          .expect(202);
        expect(challenged.body).toEqual({ status: 'code_sent' });
        const code = codeIn(await mail.next(user.email));
        // An MFA code is not a passwordless sign-in code.
        await api.post('/v1/auth/email-otp/verify', { email: user.email, code }).expect(401);
        const res = await api
          .post('/v1/auth/mfa/verify', { mfa_token: token, factor: 'email_otp', code })
          .expect(200);
        expect(claimsOf(res.body.access_token as string).amr).toEqual(['pwd', 'otp', 'mfa']);
      });

      it('is not offered after an email sign-in, where a TOTP factor still is', async () => {
        const user = await enrolled(api, 'otp-first');
        await api.post('/v1/auth/email-otp', { email: user.email }).expect(202);
        const code = codeIn(await mail.next(user.email));
        const res = await api
          .post('/v1/auth/email-otp/verify', { email: user.email, code })
          .expect(200);
        expect(res.body).toMatchObject({ mfa_required: true });
        expect(res.body).not.toHaveProperty('access_token');
        const verified = await api
          .post('/v1/auth/mfa/verify', {
            mfa_token: res.body.mfa_token,
            factor: 'totp',
            code: totpCode(user.secret, 1),
          })
          .expect(200);
        expect(claimsOf(verified.body.access_token as string).amr).toEqual(['otp', 'mfa']);
      });
    });

    describe('management', () => {
      it('removes a factor only with the password or a current code; the last one takes the recovery codes', async () => {
        const user = await enrolled();
        const path = `/v1/mfa/factors/${user.factorId}`;
        await api.del(path, user.access).expect(400);
        await api.del(path, user.access, {}).expect(400);
        await api
          .del(path, user.access, { code: '000000' })
          .expect(401)
          .expect((r) => {
            expect(r.body.code).toBe('invalid_mfa_code');
          });
        // A second factor beside the first needs the proof too.
        await api.post('/v1/mfa/totp', {}, user.access).expect(400);
        await api.del(path, user.access, { code: totpCode(user.secret, 1) }).expect(204);
        const listed = await api.get('/v1/mfa/factors', user.access).expect(200);
        expect(listed.body).toEqual({ factors: [], recovery_codes_remaining: 0 });
        const signIn = await api.signIn(user.email).expect(200);
        expect(signIn.body).toHaveProperty('access_token');
        expect(claimsOf(signIn.body.access_token as string)).toMatchObject({
          amr: ['pwd'],
          acr: 'urn:hellojohn:loa:1',
        });
        await api.del(path, user.access, { password: PASSWORD }).expect(404);
        expect(await auditActions(main, user.id)).toContain('mfa.removed:success');
      });

      it('lets a tenant admin list and reset a user’s factors, audited', async () => {
        const user = await enrolled();
        const viewer = await system.cpAdminToken('viewer');
        const owner = await system.cpAdminToken('owner');
        const seen = await api.get(`/v1/admin/users/${user.id}/mfa`, viewer).expect(200);
        expect(seen.body).toMatchObject({
          user_id: user.id,
          factors: [expect.objectContaining({ id: user.factorId, type: 'totp' })],
          recovery_codes_remaining: 10,
        });
        await api.del(`/v1/admin/users/${user.id}/mfa`, viewer).expect(403);
        await api.del(`/v1/admin/users/${user.id}/mfa`, user.access).expect(401);
        await api.del(`/v1/admin/users/${user.id}/mfa`, owner).expect(204);
        await api.del('/v1/admin/users/no-such-user/mfa', owner).expect(404);
        const after = await api.get(`/v1/admin/users/${user.id}/mfa`, viewer).expect(200);
        expect(after.body).toMatchObject({ factors: [], recovery_codes_remaining: 0 });
        expect((await api.signIn(user.email).expect(200)).body).toHaveProperty('access_token');
        expect(await auditActions(main, user.id)).toContain('mfa.reset:success');
      });
    });

    describe('tenant policy', () => {
      it('mfa: off signs in with the password alone and refuses enrolment', async () => {
        const off = await system.createTenant('mfa-off', { mfa: 'off' });
        const offApi = tenantApi(system.dp.url, off);
        const user = await offApi.newUser('off');
        // A factor enrolled before the policy changed is ignored.
        await db(off).mfaFactors.create({ userId: user.id, type: 'totp', confirmedAt: new Date() });
        const res = await offApi.signIn(user.email).expect(200);
        expect(claimsOf(res.body.access_token as string).amr).toEqual(['pwd']);
        const refused = await offApi.post('/v1/mfa/totp', {}, user.tokens.access_token).expect(403);
        expect(refused.body.code).toBe('mfa_disabled');
      });

      it('mfa: required makes a user without a factor enrol with the mfa_token, then signs in', async () => {
        const required = await system.createTenant('mfa-req', { mfa: 'required' });
        const reqApi = tenantApi(system.dp.url, required);
        const user = await reqApi.newUser('req');
        const first = await reqApi.signIn(user.email).expect(200);
        expect(first.body).toEqual({
          mfa_required: true,
          enrolment_required: true,
          mfa_token: expect.any(String),
          factors: [],
          expires_in: 300,
        });
        const token = first.body.mfa_token as string;
        // The enrolment token cannot pass the step, nor enrol beside a bearer token.
        await reqApi
          .post('/v1/auth/mfa/verify', { mfa_token: token, factor: 'totp', code: '123456' })
          .expect(401);
        await reqApi
          .post('/v1/mfa/totp', { mfa_token: token }, user.tokens.access_token)
          .expect(400);
        await reqApi.post('/v1/mfa/totp', {}).expect(401);

        const start = await reqApi.post('/v1/mfa/totp', { mfa_token: token }).expect(201);
        const done = await reqApi
          .post('/v1/mfa/totp/confirm', {
            mfa_token: token,
            factor_id: start.body.factor_id,
            code: totpCode(start.body.secret as string),
          })
          .expect(200);
        expect(done.body.recovery_codes).toHaveLength(10);
        const claims = claimsOf(done.body.access_token as string);
        expect(claims.amr).toEqual(['pwd', 'otp', 'mfa']);
        await reqApi.refresh(done.body.refresh_token as string).expect(200);
        // Spent: the token enrols nothing more.
        await reqApi.post('/v1/mfa/totp', { mfa_token: token }).expect(401);

        // A normal mfa_token (the user has a factor now) cannot enrol another one.
        const normal = await mfaToken(reqApi, user.email);
        const refused = await reqApi.post('/v1/mfa/totp', { mfa_token: normal }).expect(401);
        expect(refused.body.code).toBe('mfa_token_invalid');
      });
    });
  });
}
