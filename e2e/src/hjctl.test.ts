import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createDataPlaneClient, isSignUpAccepted } from '@hellojohn/sdk';
import { ADMIN, startSystem, type System } from './support/system';
import { runHjctl, type HjctlOutcome } from './support/hjctl-runner';

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

  async function hjctl(...argv: string[]): Promise<HjctlOutcome> {
    return runHjctl({ cpUrl: system.cp.url, home }, argv);
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

  it('registers and changes the browser sign-in settings of a client with flags', async () => {
    await hjctl('login', '--email', ADMIN.email, '--password', ADMIN.password);
    const slug = `cli-${randomBytes(3).toString('hex')}`;
    expect((await hjctl('tenants', 'create', slug, '--name', 'CLI', '--wait')).code).toBe(0);

    const created = await hjctl(
      '--json',
      'clients',
      'create',
      slug,
      '--name',
      'SPA',
      '--type',
      'public',
      '--redirect-uris',
      'https://spa.example.com/cb',
      '--allowed-origin',
      'https://SPA.example.com',
      '--allowed-origin',
      'http://localhost:5173',
      '--post-logout-redirect-uri',
      'https://spa.example.com/bye',
      '--first-party',
      '--id-token-alg',
      'EdDSA',
      '--access-token-ttl',
      '600',
      '--logo-uri',
      'https://spa.example.com/logo.svg',
    );
    expect(created.code).toBe(0);
    const spa = JSON.parse(created.out) as { client_id: string };
    expect(spa).toMatchObject({
      allowed_origins: ['https://spa.example.com', 'http://localhost:5173'],
      post_logout_redirect_uris: ['https://spa.example.com/bye'],
      first_party: true,
      id_token_signed_response_alg: 'EdDSA',
      token_endpoint_auth_method: 'none',
      access_token_ttl: 600,
      refresh_token_ttl: null,
      logo_uri: 'https://spa.example.com/logo.svg',
    });

    const updated = await hjctl(
      '--json',
      'clients',
      'update',
      slug,
      spa.client_id,
      '--allowed-origin',
      '',
      '--no-first-party',
      '--access-token-ttl',
      'tenant',
      '--logo-uri',
      '',
    );
    expect(updated.code).toBe(0);
    expect(JSON.parse(updated.out)).toMatchObject({
      client_id: spa.client_id,
      allowed_origins: [],
      post_logout_redirect_uris: ['https://spa.example.com/bye'],
      first_party: false,
      access_token_ttl: null,
      logo_uri: null,
    });

    const mismatch = await hjctl(
      'clients',
      'update',
      slug,
      spa.client_id,
      '--auth-method',
      'client_secret_post',
    );
    expect(mismatch.code).toBe(1);
    expect(mismatch.err).toMatch(/validation_failed[\s\S]*body\.token_endpoint_auth_method/);
    const badAlg = await hjctl('clients', 'update', slug, spa.client_id, '--id-token-alg', 'HS256');
    expect(badAlg.code).not.toBe(0);
    expect(badAlg.err).toMatch(/--id-token-alg/);
  });

  it("lists and resets a tenant user's second factors on the data plane", async () => {
    await hjctl('login', '--email', ADMIN.email, '--password', ADMIN.password);
    const slug = `cli-${randomBytes(3).toString('hex')}`;
    await system.createTenant(slug);
    const dp = createDataPlaneClient({ baseUrl: system.dp.url, tenant: slug });
    const email = `mfa-${randomBytes(3).toString('hex')}@example.com`;
    const signedUp = await dp.signUp({ email, password: 'violet kettle drum 42' });
    if (isSignUpAccepted(signedUp)) throw new Error('expected tokens');
    const enrolment = await dp.mfa.enrolTotp(signedUp.access_token, { name: 'Phone' });
    const users = ['users', '--tenant', slug, '--dp-url', system.dp.url, 'mfa'];

    const listed = await hjctl(...users, 'list', email);
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/^ID\s+TYPE\s+NAME\s+CONFIRMED/);
    expect(listed.out).toContain(enrolment.factor_id);
    expect(listed.out).toContain('recovery codes left: 0');
    const asJson = await hjctl('--json', ...users, 'list', signedUp.user.id);
    expect(JSON.parse(asJson.out)).toMatchObject({
      user_id: signedUp.user.id,
      factors: [{ id: enrolment.factor_id, type: 'totp', name: 'Phone', confirmed: false }],
    });

    const reset = await hjctl(...users, 'reset', email);
    expect(reset.code).toBe(0);
    expect(reset.out).toContain(`reset MFA of ${signedUp.user.id}`);
    expect((await dp.mfa.listFactors(signedUp.access_token)).factors).toEqual([]);
    const unknown = await hjctl(...users, 'list', 'nobody@example.com');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/no user with email/);
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
