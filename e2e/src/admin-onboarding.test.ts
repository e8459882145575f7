import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '@hellojohn/testing';
import { Secret, TOTP } from 'otpauth';
import request from 'supertest';
import { startSystem, type System } from './support/system';
import { runHjctl, type HjctlOutcome } from './support/hjctl-runner';

/**
 * CP admin onboarding across both planes (issue 19): an invited admin accepts and reaches the
 * data plane's admin routes; disabled, its token is refused there within seconds. hjctl signs an
 * admin with an authenticator in with `--otp`.
 */
describe('CP admin invitations and TOTP, end to end', () => {
  let system: System;
  let owner: string;
  let tenant: { id: string; slug: string };
  let home: string;

  async function hjctl(argv: string[]): Promise<HjctlOutcome> {
    return runHjctl({ cpUrl: system.cp.url, home }, argv);
  }

  beforeAll(async () => {
    system = await startSystem();
    owner = await system.adminToken();
    tenant = await system.createTenant(`onb-${randomBytes(3).toString('hex')}`);
    home = mkdtempSync(join(tmpdir(), 'hjctl-onboarding-'));
  });
  afterAll(async () => {
    await system.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('an invited admin accepts, works on the data plane, and is refused there once disabled', async () => {
    const email = `inv-${randomBytes(4).toString('hex')}@example.com`;
    const created = await request(system.cp.url)
      .post('/v1/admins')
      .set('Authorization', `Bearer ${owner}`)
      .send({ email, role: 'admin', tenants: [tenant.slug] })
      .expect(201);
    const admin = created.body as { id: string; status: string; invitation: { mail: string } };
    // No SMTP server in the embedded default: the link went to the log.
    expect(admin).toMatchObject({ status: 'invited', invitation: { mail: 'logged' } });
    // The mailed token is only in the log; the test plants a link of its own for this admin.
    const token = `hjinv_${randomBytes(32).toString('base64url')}`;
    await system.cp.deps.db.adminInvitations.replace({
      id: randomUUID(),
      adminId: admin.id,
      tokenHash: createHash('sha256').update(token).digest('hex'),
      expiresAt: new Date(Date.now() + 60_000),
    });
    const accepted = await request(system.cp.url)
      .post('/v1/auth/invitations/accept')
      .send({ token, password: 'invited-password-1' })
      .expect(200);
    const access = (accepted.body as { access_token: string }).access_token;
    const onDp = () =>
      request(system.dp.url)
        .get(`/t/${tenant.slug}/v1/admin/users`)
        .set('Authorization', `Bearer ${access}`);
    await onDp().expect(200);

    await request(system.cp.url)
      .patch(`/v1/admins/${admin.id}`)
      .set('Authorization', `Bearer ${owner}`)
      .send({ disabled: true })
      .expect(200);
    await request(system.cp.url)
      .get('/v1/tenants')
      .set('Authorization', `Bearer ${access}`)
      .expect(401);
    await eventually(async () => {
      await onDp().expect(401);
    }, 5_000);
  });

  it('hjctl enrols an authenticator and then signs in only with --otp', async () => {
    const email = `totp-${randomBytes(4).toString('hex')}@example.com`;
    const password = 'totp-password-123';
    const created = await hjctl([
      'login',
      '--email',
      'ops@example.com',
      '--password',
      'correct-horse-battery-staple',
    ]);
    expect(created.code).toBe(0);
    expect((await hjctl(['admins', 'create', email, '--password', password])).code).toBe(0);
    expect((await hjctl(['login', '--email', email, '--password', password])).code).toBe(0);

    // Away from a step's edge, so the codes below belong to the steps they were made for.
    const left = 30_000 - (Date.now() % 30_000);
    if (left < 5_000) await new Promise((resolve) => setTimeout(resolve, left + 200));
    const enrolled = await hjctl(['--json', 'totp', 'enrol']);
    expect(enrolled.code).toBe(0);
    const { secret } = JSON.parse(enrolled.out) as { secret: string };
    const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 });
    const confirmed = await hjctl([
      'totp',
      'confirm',
      totp.generate({ timestamp: Date.now() - 30_000 }),
    ]);
    expect(confirmed.code).toBe(0);
    expect(confirmed.out.match(/^[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}$/gm)).toHaveLength(10);

    const withoutCode = await hjctl(['login', '--email', email, '--password', password]);
    expect(withoutCode.code).toBe(1);
    expect(withoutCode.err).toContain('--otp');
    const wrong = await hjctl([
      'login',
      '--email',
      email,
      '--password',
      password,
      '--otp',
      '000000',
    ]);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain('invalid_mfa_code');
    const signedIn = await hjctl([
      'login',
      '--email',
      email,
      '--password',
      password,
      '--otp',
      totp.generate({ timestamp: Date.now() }),
    ]);
    expect(signedIn.code).toBe(0);
    expect((await hjctl(['tenants', 'list'])).code).toBe(0);
  });
});
