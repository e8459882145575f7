import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createControlPlaneClient, HelloJohnApiError } from '@hellojohn/sdk';
import request from 'supertest';
import { ADMIN, startSystem, type System } from './support/system';
import { runHjctl, type HjctlOutcome } from './support/hjctl-runner';

/** `hjctl api-keys` and `--api-key`/`HJCTL_API_KEY` against a real control plane (issue 19). */
describe('hjctl api-keys', () => {
  let system: System;
  let home: string;
  beforeAll(async () => {
    system = await startSystem();
    home = mkdtempSync(join(tmpdir(), 'hjctl-keys-home-'));
  });
  afterAll(async () => {
    await system.close();
    rmSync(home, { recursive: true, force: true });
  });

  async function hjctl(argv: string[], env: Record<string, string> = {}): Promise<HjctlOutcome> {
    return runHjctl({ cpUrl: system.cp.url, home, env }, argv);
  }

  it('creates, uses, rotates and revokes a key', async () => {
    expect(
      (await hjctl(['login', '--email', ADMIN.email, '--password', ADMIN.password])).code,
    ).toBe(0);
    const created = await hjctl(['--json', 'api-keys', 'create', 'ci', '--role', 'viewer']);
    expect(created.code).toBe(0);
    const key = JSON.parse(created.out) as { id: string; key: string };
    expect(key.key).toMatch(/^hjk_/);

    const listed = await hjctl(['api-keys', 'list']);
    expect(listed.out).toContain(key.id);
    expect(listed.out).not.toContain(key.key);

    // The key alone, by flag and by environment, with no saved login.
    const otherHome = mkdtempSync(join(tmpdir(), 'hjctl-nologin-'));
    try {
      const byFlag = await hjctl(['--api-key', key.key, 'tenants', 'list'], { HOME: otherHome });
      expect(byFlag.code).toBe(0);
      const byEnv = await hjctl(['tenants', 'list'], { HOME: otherHome, HJCTL_API_KEY: key.key });
      expect(byEnv.code).toBe(0);
      // A viewer key may not manage keys.
      const denied = await hjctl(['api-keys', 'list'], { HOME: otherHome, HJCTL_API_KEY: key.key });
      expect(denied.code).toBe(1);
      expect(denied.err).toContain('insufficient_role');
    } finally {
      rmSync(otherHome, { recursive: true, force: true });
    }

    const rotated = await hjctl(['--json', 'api-keys', 'rotate', key.id, '--overlap', '0']);
    const fresh = (JSON.parse(rotated.out) as { key: string }).key;
    expect((await hjctl(['--api-key', key.key, 'tenants', 'list'])).err).toContain('invalid_token');
    expect((await hjctl(['--api-key', fresh, 'tenants', 'list'])).code).toBe(0);

    expect((await hjctl(['api-keys', 'revoke', key.id])).code).toBe(0);
    const refused = await hjctl(['--api-key', fresh, 'tenants', 'list']);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('invalid_token');
  });

  it('creates a scoped admin and disables it', async () => {
    // Provisioning need not finish: a grant names the tenant the control plane knows.
    const slug = `keys-${Date.now().toString(36)}`;
    const res = await request(system.cp.url)
      .post('/v1/tenants')
      .set('Authorization', `Bearer ${await system.adminToken()}`)
      .send({ slug, name: slug })
      .expect(202);
    const tenant = res.body as { id: string; slug: string };
    const created = await hjctl([
      '--json',
      'admins',
      'create',
      'scoped@example.com',
      '--password',
      'scoped-password-1',
      '--role',
      'admin',
      '--tenants',
      tenant.slug,
    ]);
    expect(created.code).toBe(0);
    const admin = JSON.parse(created.out) as { id: string; tenants: string[] };
    expect(admin.tenants).toEqual([tenant.id]);
    const disabled = await hjctl(['--json', 'admins', 'update', admin.id, '--disable']);
    expect(JSON.parse(disabled.out)).toMatchObject({ disabled: true });
  });

  it('the SDK refreshes and ends an admin session', async () => {
    const anonymous = createControlPlaneClient({ baseUrl: system.cp.url });
    const first = await anonymous.auth.signIn({ email: ADMIN.email, password: ADMIN.password });
    if ('mfa_required' in first) throw new Error('the bootstrap admin has no authenticator');
    const second = await anonymous.auth.refresh(first.refresh_token);
    const cp = createControlPlaneClient({ baseUrl: system.cp.url, token: second.access_token });
    await cp.tenants.list();
    await cp.auth.signOut();
    const refused = await cp.tenants.list().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(HelloJohnApiError);
    expect((refused as HelloJohnApiError).code).toBe('invalid_token');
    const reused = await anonymous.auth
      .refresh(first.refresh_token)
      .catch((error: unknown) => error);
    expect((reused as HelloJohnApiError).code).toBe('refresh_token_invalid');
  });
});
