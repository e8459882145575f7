import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { run, type Io } from '@hellojohn/hjctl';
import { ADMIN, startSystem, type System } from './support/system';

/** hjctl against a real control plane (and data plane, so tenants really become active). */
describe('hjctl', () => {
  let system: System;
  let home: string;
  beforeAll(async () => {
    system = await startSystem();
    home = mkdtempSync(join(tmpdir(), 'hjctl-home-'));
  });
  afterAll(async () => {
    await system.close();
    rmSync(home, { recursive: true, force: true });
  });

  async function hjctl(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const io: Io = {
      out: (text) => (out += text),
      err: (text) => (err += text),
      env: { HOME: home },
    };
    const code = await run(['--url', system.cp.url, ...argv], io);
    return { code, out, err };
  }

  it('signs in, saves the token privately, and manages tenants and clients', async () => {
    const login = await hjctl('login', '--email', ADMIN.email, '--password', ADMIN.password);
    expect(login.code).toBe(0);
    expect(statSync(join(home, '.config', 'hellojohn', 'hjctl.json')).mode & 0o777).toBe(0o600);

    const slug = `cli-${randomBytes(3).toString('hex')}`;
    const created = await hjctl(
      '--json',
      'tenants',
      'create',
      slug,
      '--name',
      'CLI Tenant',
      '--wait',
    );
    expect(created.code).toBe(0);
    expect(JSON.parse(created.out)).toMatchObject({ slug, status: 'active' });
    expect(created.err).toMatch(new RegExp(`${slug}: active after`));

    const list = await hjctl('tenants', 'list', '--status', 'active');
    expect(list.out).toMatch(/^ID\s+SLUG\s+NAME\s+STATUS/);
    expect(list.out).toContain(slug);

    const client = await hjctl(
      '--json',
      'clients',
      'create',
      slug,
      '--name',
      'Web',
      '--redirect-uris',
      'https://app.example.com/cb',
    );
    expect(client.code).toBe(0);
    const body = JSON.parse(client.out) as { client_id: string; client_secret: string };
    expect(body.client_secret).toMatch(/^hjcs_/);
    expect(client.err).toMatch(/not shown again/);
    const clients = await hjctl('clients', 'list', slug);
    expect(clients.out).toContain(body.client_id);
    expect(clients.out).not.toContain(body.client_secret);
  });

  it('prints API problems with their code and fields, and exits 1', async () => {
    await hjctl('login', '--email', ADMIN.email, '--password', ADMIN.password);
    const missing = await hjctl('tenants', 'get', 'no-such-tenant');
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/tenant_not_found \(404\)/);
    const invalid = await hjctl('tenants', 'create', 'Bad Slug', '--name', 'x');
    expect(invalid.code).toBe(1);
    expect(invalid.err).toMatch(/validation_failed[\s\S]*body\.slug/);
    const wrong = await hjctl('login', '--email', ADMIN.email, '--password', 'not-the-password');
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/invalid_credentials/);
  });
});
