import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import request from 'supertest';
import { basic, eventually } from './support/oauth';
import { startSystem, type System } from './support/system';
import { runHjctl, type HjctlOutcome } from './support/hjctl-runner';

interface ResourceJson {
  id: string;
  identifier: string;
  name: string;
  scopes: Array<{ name: string; description: string | null }>;
  access_token_alg: string;
  access_token_ttl: number | null;
  subjects: string;
}

/**
 * `hjctl resources` and `hjctl clients grant|grants|revoke-grant` against both planes: an API
 * defined and granted from the command line, then a machine token for it (RFC 8707 `resource`)
 * whose `aud` and `alg` are the resource's.
 */
describe('hjctl resources and client grants', () => {
  let system: System;
  let home: string;
  let slug: string;
  let issuer: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    system = await startSystem();
    home = mkdtempSync(join(tmpdir(), 'hjctl-home-'));
    slug = `api-${randomBytes(3).toString('hex')}`;
    issuer = (await system.createTenant(slug)).issuer;
    env = { HJCTL_TOKEN: await system.adminToken() };
  });
  afterAll(async () => {
    await system.close();
    rmSync(home, { recursive: true, force: true });
  });

  async function hjctl(...argv: string[]): Promise<HjctlOutcome> {
    return runHjctl({ cpUrl: system.cp.url, home, env }, argv);
  }

  const uniqueIdentifier = () => `https://api.example.com/${randomBytes(3).toString('hex')}`;

  it('defines, lists, changes and deletes an API resource', async () => {
    const resources = ['resources', '--tenant', slug];
    const identifier = uniqueIdentifier();
    const created = await hjctl(
      '--json',
      ...resources,
      'create',
      '--identifier',
      identifier,
      '--name',
      'Invoices',
      '--scope',
      'invoices:read=Read invoices',
      '--scope',
      'invoices:write',
      '--alg',
      'RS256',
      '--ttl',
      '600',
      '--subjects',
      'machines',
    );
    expect(created.code).toBe(0);
    const resource = JSON.parse(created.out) as ResourceJson;
    expect(resource).toMatchObject({
      identifier,
      name: 'Invoices',
      scopes: [
        { name: 'invoices:read', description: 'Read invoices' },
        { name: 'invoices:write', description: null },
      ],
      access_token_alg: 'RS256',
      access_token_ttl: 600,
      subjects: 'machines',
    });

    // The parent's --tenant may also follow the subcommand.
    const list = await hjctl('resources', 'list', '--tenant', slug);
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/^ID\s+IDENTIFIER\s+NAME\s+ACCESS_TOKEN_ALG\s+SUBJECTS\s+SCOPES/);
    expect(list.out).toContain(`${identifier}  Invoices  RS256`);
    expect(list.out).toContain('invoices:read invoices:write');

    // By identifier or by id.
    const byIdentifier = await hjctl(...resources, 'get', identifier);
    expect(byIdentifier.out).toContain(`id: ${resource.id}`);
    expect(byIdentifier.out).toContain('access_token_alg: RS256');
    const byId = await hjctl('--json', ...resources, 'get', resource.id);
    expect(JSON.parse(byId.out)).toEqual(JSON.parse(created.out));

    const edited = await hjctl(
      '--json',
      ...resources,
      'update',
      identifier,
      '--add-scope',
      'invoices:void=Void an invoice',
      '--add-scope',
      'invoices:write=Create invoices',
      '--remove-scope',
      'invoices:read',
      '--ttl',
      'default',
      '--alg',
      'ES256',
    );
    expect(edited.code).toBe(0);
    expect(JSON.parse(edited.out)).toMatchObject({
      scopes: [
        { name: 'invoices:write', description: 'Create invoices' },
        { name: 'invoices:void', description: 'Void an invoice' },
      ],
      access_token_ttl: null,
      access_token_alg: 'ES256',
    });
    const typo = await hjctl(...resources, 'update', identifier, '--remove-scope', 'invoices:reed');
    expect(typo.code).toBe(1);
    expect(typo.err).toContain('not a scope of this API resource: invoices:reed');
    const emptied = await hjctl('--json', ...resources, 'update', resource.id, '--scope', '');
    expect(JSON.parse(emptied.out)).toMatchObject({ scopes: [] });

    expect((await hjctl(...resources, 'delete', identifier)).out).toBe(
      `deleted API resource ${resource.id}\n`,
    );
    const gone = await hjctl(...resources, 'get', resource.id);
    expect(gone.code).toBe(1);
    expect(gone.err).toContain('resource_not_found');
    const unknown = await hjctl(...resources, 'get', identifier);
    expect(unknown.err).toContain(`no API resource with identifier ${identifier}`);
  });

  it('names the field of bad input, and refuses a flag value before calling', async () => {
    const resources = ['resources', '--tenant', slug];
    const relative = await hjctl(
      ...resources,
      'create',
      '--identifier',
      '/invoices',
      '--name',
      'X',
    );
    expect(relative.code).toBe(1);
    expect(relative.err).toContain('validation_failed');
    expect(relative.err).toMatch(/identifier: must be an absolute URI/);
    const reserved = await hjctl(
      ...resources,
      'create',
      '--identifier',
      uniqueIdentifier(),
      '--name',
      'X',
      '--scope',
      'openid',
    );
    expect(reserved.code).toBe(1);
    expect(reserved.err).toMatch(/scopes\.0\.name: is an OpenID Connect scope/);
    const alg = await hjctl(
      ...resources,
      'create',
      '--identifier',
      'https://a.example',
      '--name',
      'X',
      '--alg',
      'HS256',
    );
    expect(alg.code).toBe(1);
    expect(alg.err).toMatch(/--alg <alg>' argument 'HS256' is invalid/);
    const ttl = await hjctl(
      ...resources,
      'create',
      '--identifier',
      'https://a.example',
      '--name',
      'X',
      '--ttl',
      'soon',
    );
    expect(ttl.code).toBe(1);
    expect(ttl.err).toContain('expected seconds');
    const noTenant = await hjctl('resources', 'list');
    expect(noTenant.code).toBe(1);
    expect(noTenant.err).toContain("required option '--tenant <tenant>'");
  });

  it('grants a machine client scopes on an API, whose tokens then carry its aud and alg', async () => {
    const identifier = uniqueIdentifier();
    const created = await hjctl(
      '--json',
      'resources',
      '--tenant',
      slug,
      'create',
      '--identifier',
      identifier,
      '--name',
      'Billing',
      '--scope',
      'billing:read',
      '--scope',
      'billing:write',
      '--alg',
      'RS256',
      '--subjects',
      'machines',
    );
    const resource = JSON.parse(created.out) as ResourceJson;
    const machine = JSON.parse(
      (
        await hjctl(
          '--json',
          'clients',
          'create',
          slug,
          '--name',
          'Billing worker',
          '--grant-types',
          'client_credentials',
        )
      ).out,
    ) as { client_id: string; client_secret: string };

    const granted = await hjctl(
      '--json',
      'clients',
      'grant',
      slug,
      machine.client_id,
      '--resource',
      identifier,
      '--scope',
      'billing:read',
    );
    expect(granted.code).toBe(0);
    expect(JSON.parse(granted.out)).toMatchObject({
      resource_id: resource.id,
      identifier,
      client_id: machine.client_id,
      scopes: ['billing:read'],
    });
    const grants = await hjctl('clients', 'grants', slug, machine.client_id);
    expect(grants.out).toMatch(/^RESOURCE_ID\s+IDENTIFIER\s+SCOPES/);
    expect(grants.out).toContain(`${resource.id}  ${identifier}  ["billing:read"]`);
    const undefinedScope = await hjctl(
      'clients',
      'grant',
      slug,
      machine.client_id,
      '--resource',
      resource.id,
      '--scope',
      'billing:admin',
    );
    expect(undefinedScope.code).toBe(1);
    expect(undefinedScope.err).toContain('body.scopes.0: is not a scope of this API resource');

    const token = (form: string) =>
      request(system.dp.url)
        .post(`/t/${slug}/oauth2/token`)
        .set('Authorization', basic(machine.client_id, machine.client_secret))
        .type('form')
        .send(form);
    const form = `grant_type=client_credentials&resource=${encodeURIComponent(identifier)}`;
    let accessToken = '';
    await eventually(async () => {
      const res = await token(form).expect(200);
      accessToken = (res.body as { access_token: string }).access_token;
    });
    const jwks = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(accessToken, jwks, {
      issuer,
      audience: identifier,
      typ: 'at+jwt',
    });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({
      aud: identifier,
      sub: machine.client_id,
      scope: 'billing:read',
      permissions: ['billing:read'],
    });

    // The resource's algorithm, changed from the command line, signs the next tokens.
    expect(
      (await hjctl('resources', '--tenant', slug, 'update', identifier, '--alg', 'ES256')).code,
    ).toBe(0);
    await eventually(async () => {
      const res = await token(form).expect(200);
      const next = (res.body as { access_token: string }).access_token;
      expect(decodeProtectedHeader(next).alg).toBe('ES256');
      accessToken = next;
    });
    const es256 = await jwtVerify(accessToken, jwks, { issuer, audience: identifier });
    expect(es256.protectedHeader.alg).toBe('ES256');

    const revoked = await hjctl(
      'clients',
      'revoke-grant',
      slug,
      machine.client_id,
      '--resource',
      identifier,
    );
    expect(revoked.out).toBe(`revoked ${machine.client_id}'s grant on ${identifier}\n`);
    expect((await hjctl('clients', 'grants', slug, machine.client_id)).out).toBe('(none)\n');
    await eventually(async () => {
      const res = await token(form).expect(400);
      expect(res.body).toMatchObject({ error: 'invalid_target' });
    });
  });
});
