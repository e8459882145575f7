import { randomUUID } from 'node:crypto';
import type { TenantRow } from '@hellojohn/dal';
import { Secret, TOTP } from 'otpauth';
import request from 'supertest';
import { OWNER, startCpApp, type CpApp } from './support/cp-app';
import type { DatabaseSetup } from './support/cp-databases';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink';

interface AdminBody {
  id: string;
  email: string;
  role: string;
  status: string;
  invitation?: { expires_at: string; mail: string };
}

interface TokenBody {
  access_token: string;
  refresh_token: string;
}

interface MfaBody {
  mfa_required: true;
  mfa_token: string;
  factors: string[];
}

const CP_URL = 'https://cp.example.com';
const PASSWORD = 'operator-password-1';
const INVITATION_LINK = new RegExp(
  `${CP_URL.replace(/\./g, '\\.')}/console/#/accept-invitation\\?token=(hjinv_[A-Za-z0-9_-]{43})`,
);

/** The code an authenticator app shows for `secret` at `at` (ms). */
function codeAt(secret: string, at: number): string {
  return new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate({
    timestamp: at,
  });
}

/** Waits until the current 30 s step has at least 5 s left, so a code cannot turn over mid-test. */
async function awayFromStepEdge(): Promise<void> {
  const left = 30_000 - (Date.now() % 30_000);
  if (left < 5_000) await new Promise((resolve) => setTimeout(resolve, left + 200));
}

/**
 * CP admin onboarding and second factor (issue 19): invitations mailed through a real SMTP
 * server and accepted once, the last owner kept, TOTP enrolment, sign-in with a code, replay and
 * recovery codes; and webhook writes open to the `admin` role.
 */
export function adminOnboardingSuite(engine: string, setup: DatabaseSetup): void {
  // TOTP tests may wait up to 5 s for a fresh time step.
  jest.setTimeout(20_000);
  describe(`CP admin invitations and TOTP (${engine})`, () => {
    let cp: CpApp;
    let smtp: SmtpSink;
    let cleanup: () => Promise<void>;
    let owner: string;
    let tenant: TenantRow;

    const bearer = (token: string): string => `Bearer ${token}`;
    const newEmail = (): string => `inv-${randomUUID().slice(0, 8)}@example.com`;

    async function invite(body: object): Promise<{ admin: AdminBody; token: string }> {
      const email = newEmail();
      const res = await request(cp.app)
        .post('/v1/admins')
        .set('Authorization', bearer(owner))
        .send({ email, ...body })
        .expect(201);
      return { admin: res.body as AdminBody, token: lastTokenTo(email) };
    }

    function lastTokenTo(email: string): string {
      const mail = smtp.mails.filter((m) => m.to.includes(email)).at(-1);
      const token = mail ? INVITATION_LINK.exec(mail.raw)?.[1] : undefined;
      if (!token) throw new Error(`no invitation link mailed to ${email}`);
      return token;
    }

    const accept = (token: string, password = PASSWORD) =>
      request(cp.app).post('/v1/auth/invitations/accept').send({ token, password });

    const signIn = (email: string, password = PASSWORD) =>
      request(cp.app).post('/v1/auth/sign-in').send({ email, password });

    beforeAll(async () => {
      const db = await setup();
      cleanup = db.cleanup;
      smtp = await startSmtpSink();
      cp = await startCpApp(db.databaseUrl, {
        env: {
          HJ_SMTP_URL: smtp.url,
          HJ_MAIL_FROM: 'HelloJohn <ops@example.com>',
          HJ_CP_URL: CP_URL,
        },
        manualRelay: true,
        // Many sign-ins from one address; the per-address budget has its own tests.
        adminSignIn: { ip: { points: 1000, durationSeconds: 60 } },
      });
      const signedIn = await signIn(OWNER.email, OWNER.password).expect(200);
      owner = (signedIn.body as TokenBody).access_token;
      tenant = await cp.createTenant();
    });
    afterAll(async () => {
      await cp.close();
      await smtp.close();
      await cleanup();
    });

    /** The admin's status as the owner's list of admins shows it. */
    async function listedStatus(adminId: string): Promise<string | undefined> {
      const list = await request(cp.app)
        .get('/v1/admins')
        .set('Authorization', bearer(owner))
        .expect(200);
      return (list.body as { data: AdminBody[] }).data.find((a) => a.id === adminId)?.status;
    }

    describe('invitations', () => {
      it('mails a one-time link, stores only its hash, and keeps the admin invited until accepted', async () => {
        const { admin, token } = await invite({ role: 'admin', tenants: [tenant.slug] });
        expect(admin).toMatchObject({ role: 'admin', status: 'invited' });
        expect(admin.invitation?.mail).toBe('sent');
        const expiresIn = Date.parse(admin.invitation?.expires_at ?? '') - Date.now();
        expect(expiresIn).toBeGreaterThan(71 * 3600 * 1000);
        expect(expiresIn).toBeLessThanOrEqual(72 * 3600 * 1000);
        const mail = smtp.mails.at(-1);
        expect(mail?.raw).toContain('From: HelloJohn <ops@example.com>');

        const stored = await cp.deps.db.adminInvitations.latestOf(admin.id);
        expect(stored?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
        expect(JSON.stringify(stored)).not.toContain(token);

        // No password works before the invitation is accepted.
        const refused = await signIn(admin.email, '!invited').expect(401);
        expect(refused.body).toMatchObject({ code: 'invalid_credentials' });
        expect(await listedStatus(admin.id)).toBe('invited');
      });

      it('accepting sets the password and signs in, once', async () => {
        const { admin, token } = await invite({ role: 'viewer' });
        const res = await accept(token).expect(200);
        const tokens = res.body as TokenBody;
        expect(tokens.refresh_token).toMatch(/^hjrt_/);
        await request(cp.app)
          .get('/v1/tenants')
          .set('Authorization', bearer(tokens.access_token))
          .expect(200);
        await signIn(admin.email).expect(200);

        const again = await accept(token, 'another-password-2').expect(404);
        expect(again.body).toMatchObject({ code: 'invalid_invitation' });
        await signIn(admin.email, 'another-password-2').expect(401);
        const resend = await request(cp.app)
          .post(`/v1/admins/${admin.id}/invitation`)
          .set('Authorization', bearer(owner))
          .expect(409);
        expect(resend.body).toMatchObject({ code: 'admin_not_invited' });
        expect(await listedStatus(admin.id)).toBe('active');
      });

      it('an expired link is refused; a resent one replaces it', async () => {
        const { admin, token } = await invite({ role: 'viewer' });
        const stored = await cp.deps.db.adminInvitations.latestOf(admin.id);
        if (!stored) throw new Error('invitation not stored');
        // Expiry moved into the past rather than waited for.
        await cp.deps.db.adminInvitations.replace({
          id: randomUUID(),
          adminId: admin.id,
          tokenHash: stored.tokenHash,
          expiresAt: new Date(Date.now() - 1000),
        });
        await accept(token).expect(404);

        const resent = await request(cp.app)
          .post(`/v1/admins/${admin.id}/invitation`)
          .set('Authorization', bearer(owner))
          .expect(200);
        expect(resent.body).toMatchObject({ status: 'invited', invitation: { mail: 'sent' } });
        const fresh = lastTokenTo(admin.email);
        expect(fresh).not.toBe(token);
        await accept(token).expect(404);
        await accept(fresh).expect(200);
      });

      it('a disabled invited admin cannot accept', async () => {
        const { admin, token } = await invite({ role: 'viewer' });
        await request(cp.app)
          .patch(`/v1/admins/${admin.id}`)
          .set('Authorization', bearer(owner))
          .send({ disabled: true })
          .expect(200);
        await accept(token).expect(404);
      });

      it('validates the bodies, naming the field', async () => {
        for (const [path, body, field] of [
          ['/v1/admins', { email: newEmail(), password: PASSWORD, invite: true }, 'body.password'],
          ['/v1/admins', { email: newEmail(), invite: false }, 'body.password'],
          [
            '/v1/auth/invitations/accept',
            { token: 'hjinv_short', password: PASSWORD },
            'body.token',
          ],
          [
            '/v1/auth/invitations/accept',
            { token: `hjinv_${'A'.repeat(43)}`, password: 'short' },
            'body.password',
          ],
        ] as const) {
          const res = await request(cp.app)
            .post(path)
            .set('Authorization', bearer(owner))
            .send(body)
            .expect(400);
          const paths = (res.body as { errors: Array<{ path: string }> }).errors.map((e) => e.path);
          expect(paths).toContain(field);
        }
        await accept(`hjinv_${'A'.repeat(43)}`).expect(404);
      });

      it('an invited owner does not count as the owner who must remain', async () => {
        const { admin } = await invite({ role: 'owner' });
        expect(admin.status).toBe('invited');
        const list = await request(cp.app)
          .get('/v1/admins')
          .set('Authorization', bearer(owner))
          .expect(200);
        const me = (list.body as { data: AdminBody[] }).data.find((a) => a.email === OWNER.email);
        if (!me) throw new Error('bootstrap owner missing');
        const res = await request(cp.app)
          .patch(`/v1/admins/${me.id}`)
          .set('Authorization', bearer(owner))
          .send({ disabled: true })
          .expect(409);
        expect(res.body).toMatchObject({ code: 'last_admin' });
        await request(cp.app)
          .delete(`/v1/admins/${me.id}`)
          .set('Authorization', bearer(owner))
          .expect(409);
        await request(cp.app)
          .delete(`/v1/admins/${admin.id}`)
          .set('Authorization', bearer(owner))
          .expect(204);
      });

      it('logs the link instead of mailing it when no SMTP server is configured (not production)', async () => {
        const bare = await startCpApp(undefined, { env: { HJ_CP_URL: CP_URL } });
        try {
          const token = await bare.token();
          const res = await request(bare.app)
            .post('/v1/admins')
            .set('Authorization', bearer(token))
            .send({ email: newEmail() })
            .expect(201);
          expect(res.body).toMatchObject({ status: 'invited', invitation: { mail: 'logged' } });
        } finally {
          await bare.close();
        }
      });
    });

    describe('TOTP', () => {
      async function activeAdmin(): Promise<{ id: string; email: string; token: string }> {
        const email = newEmail();
        const created = await request(cp.app)
          .post('/v1/admins')
          .set('Authorization', bearer(owner))
          .send({ email, password: PASSWORD, role: 'admin' })
          .expect(201);
        const tokens = (await signIn(email).expect(200)).body as TokenBody;
        return { id: (created.body as AdminBody).id, email, token: tokens.access_token };
      }

      async function enrol(admin: { id: string; token: string }) {
        const res = await request(cp.app)
          .post('/v1/auth/totp')
          .set('Authorization', bearer(admin.token))
          .expect(201);
        const { secret, otpauth_uri: uri } = res.body as { secret: string; otpauth_uri: string };
        expect(uri).toMatch(/^otpauth:\/\/totp\//);
        expect(uri).toContain(`secret=${secret}`);
        return secret;
      }

      async function mfaToken(email: string): Promise<string> {
        const res = await signIn(email).expect(200);
        const body = res.body as MfaBody;
        expect(body).toMatchObject({ mfa_required: true, factors: ['totp', 'recovery_code'] });
        expect(res.body).not.toHaveProperty('access_token');
        return body.mfa_token;
      }

      const verify = (token: string, code: string) =>
        request(cp.app).post('/v1/auth/mfa/verify').send({ mfa_token: token, code });

      it('enrols, signs in with a code, refuses a replayed code, and takes recovery codes once', async () => {
        await awayFromStepEdge();
        const admin = await activeAdmin();
        const secret = await enrol(admin);
        const sealed = await cp.deps.db.adminMfa.findTotp(admin.id);
        expect(sealed?.confirmedAt).toBeNull();
        expect(sealed?.secretEncrypted).not.toContain(secret);

        const wrong = await request(cp.app)
          .post('/v1/auth/totp/confirm')
          .set('Authorization', bearer(admin.token))
          .send({ code: codeAt(secret, Date.now() - 10 * 60_000) })
          .expect(401);
        expect(wrong.body).toMatchObject({ code: 'invalid_mfa_code' });
        // The previous step's code (within the window), so the current one stays unused.
        const confirmed = await request(cp.app)
          .post('/v1/auth/totp/confirm')
          .set('Authorization', bearer(admin.token))
          .send({ code: codeAt(secret, Date.now() - 30_000) })
          .expect(200);
        const recovery = (confirmed.body as { recovery_codes: string[] }).recovery_codes;
        expect(recovery).toHaveLength(10);
        expect(new Set(recovery).size).toBe(10);
        const again = await request(cp.app)
          .post('/v1/auth/totp')
          .set('Authorization', bearer(admin.token))
          .expect(409);
        expect(again.body).toMatchObject({ code: 'mfa_factor_exists' });

        // Sign-in now needs the second step.
        const first = await mfaToken(admin.email);
        const badCode = await verify(first, codeAt(secret, Date.now() - 10 * 60_000)).expect(401);
        expect(badCode.body).toMatchObject({ code: 'invalid_mfa_code' });
        const code = codeAt(secret, Date.now());
        const tokens = (await verify(first, code).expect(200)).body as TokenBody;
        await request(cp.app)
          .get('/v1/tenants')
          .set('Authorization', bearer(tokens.access_token))
          .expect(200);
        const spent = await verify(first, codeAt(secret, Date.now() + 30_000)).expect(401);
        expect(spent.body).toMatchObject({ code: 'mfa_token_invalid' });

        // The same code again, within its window: refused.
        const second = await mfaToken(admin.email);
        const replay = await verify(second, code).expect(401);
        expect(replay.body).toMatchObject({ code: 'invalid_mfa_code' });

        // A recovery code works once, whatever its spelling.
        const recoveryCode = recovery[0] ?? '';
        await verify(second, recoveryCode.toUpperCase()).expect(200);
        const third = await mfaToken(admin.email);
        await verify(third, recoveryCode).expect(401);
        // Stored hashed: the code itself matches no row, yet still signs in.
        const unused = recovery[1] ?? '';
        for (const plain of [unused, unused.replace(/-/g, '')]) {
          expect(await cp.deps.db.adminMfa.useRecoveryCode(admin.id, plain, new Date())).toBe(
            false,
          );
        }
        await verify(third, unused).expect(200);
      });

      it('limits wrong codes per admin, and a right password does not lift the limit', async () => {
        await awayFromStepEdge();
        const admin = await activeAdmin();
        const secret = await enrol(admin);
        await request(cp.app)
          .post('/v1/auth/totp/confirm')
          .set('Authorization', bearer(admin.token))
          .send({ code: codeAt(secret, Date.now() - 30_000) })
          .expect(200);
        const wrongCode = codeAt(secret, Date.now() - 10 * 60_000);
        const challenge = await mfaToken(admin.email);
        const statuses: number[] = [];
        for (let i = 0; i < 12 && !statuses.includes(429); i += 1) {
          statuses.push((await verify(challenge, wrongCode)).status);
        }
        expect(statuses).toContain(429);
        expect(statuses.filter((status) => status !== 401 && status !== 429)).toEqual([]);
        const fresh = await mfaToken(admin.email);
        const limited = await verify(fresh, codeAt(secret, Date.now())).expect(429);
        expect(limited.body).toMatchObject({ code: 'rate_limited' });
      });

      it('removes the authenticator only with a current code', async () => {
        await awayFromStepEdge();
        const admin = await activeAdmin();
        const secret = await enrol(admin);
        await request(cp.app)
          .post('/v1/auth/totp/confirm')
          .set('Authorization', bearer(admin.token))
          .send({ code: codeAt(secret, Date.now() - 30_000) })
          .expect(200);
        await request(cp.app)
          .delete('/v1/auth/totp')
          .set('Authorization', bearer(admin.token))
          .send({ code: codeAt(secret, Date.now() - 10 * 60_000) })
          .expect(401);
        await request(cp.app)
          .delete('/v1/auth/totp')
          .set('Authorization', bearer(admin.token))
          .send({ code: codeAt(secret, Date.now()) })
          .expect(204);
        const tokens = (await signIn(admin.email).expect(200)).body as TokenBody;
        expect(tokens.access_token).toBeTruthy();
      });

      it('is for signed-in admins only: API keys are refused, and still work without a code', async () => {
        const created = await request(cp.app)
          .post('/v1/api-keys')
          .set('Authorization', bearer(owner))
          .send({ name: 'ci', role: 'owner' })
          .expect(201);
        const key = (created.body as { key: string }).key;
        const res = await request(cp.app)
          .post('/v1/auth/totp')
          .set('Authorization', bearer(key))
          .expect(403);
        expect(res.body).toMatchObject({ code: 'forbidden' });
        await request(cp.app).get('/v1/admins').set('Authorization', bearer(key)).expect(200);
        await request(cp.app).post('/v1/auth/totp').expect(401);
      });
    });

    describe('webhooks', () => {
      it('a tenant-scoped admin with the admin role writes webhooks; a viewer cannot', async () => {
        const grant = { role: 'admin', tenants: [tenant.id] };
        const adminKey = await request(cp.app)
          .post('/v1/api-keys')
          .set('Authorization', bearer(owner))
          .send({ name: 'hooks', ...grant })
          .expect(201);
        const viewerKey = await request(cp.app)
          .post('/v1/api-keys')
          .set('Authorization', bearer(owner))
          .send({ name: 'read', role: 'viewer', tenants: [tenant.id] })
          .expect(201);
        const body = { url: 'http://127.0.0.1:9/hook', event_types: ['user.*'] };
        const path = `/v1/tenants/${tenant.slug}/webhooks`;
        const created = await request(cp.app)
          .post(path)
          .set('Authorization', bearer((adminKey.body as { key: string }).key))
          .send(body)
          .expect(201);
        const id = (created.body as { id: string }).id;
        await request(cp.app)
          .patch(`${path}/${id}`)
          .set('Authorization', bearer((adminKey.body as { key: string }).key))
          .send({ enabled: false })
          .expect(200);
        const refused = await request(cp.app)
          .post(path)
          .set('Authorization', bearer((viewerKey.body as { key: string }).key))
          .send(body)
          .expect(403);
        expect(refused.body).toMatchObject({ code: 'insufficient_role' });
        await request(cp.app)
          .delete(`${path}/${id}`)
          .set('Authorization', bearer((adminKey.body as { key: string }).key))
          .expect(204);
      });
    });
  });
}
