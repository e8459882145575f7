import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { createDataPlaneClient, isSignUpAccepted } from '@hellojohn/sdk';
import { startSystem, type System } from './support/system';
import { runHjctl, type HjctlOutcome } from './support/hjctl-runner';

/** `hjctl roles` (CP admin token) and `hjctl orgs` (a user's access token) against both planes. */
describe('hjctl roles and orgs', () => {
  let system: System;
  let home: string;
  let slug: string;
  let tenantId: string;
  beforeAll(async () => {
    system = await startSystem();
    home = mkdtempSync(join(tmpdir(), 'hjctl-home-'));
    slug = `rbac-${randomBytes(3).toString('hex')}`;
    tenantId = (await system.createTenant(slug)).id;
  });
  afterAll(async () => {
    await system.close();
    rmSync(home, { recursive: true, force: true });
  });

  async function hjctl(env: Record<string, string>, ...argv: string[]): Promise<HjctlOutcome> {
    return runHjctl(
      { cpUrl: system.cp.url, home, env: { HJCTL_DP_URL: system.dp.url, ...env } },
      argv,
    );
  }

  async function signUp() {
    const dp = createDataPlaneClient({ baseUrl: system.dp.url, tenant: slug });
    const email = `cli-${randomBytes(3).toString('hex')}@example.com`;
    const result = await dp.signUp({ email, password: 'a long enough password' });
    if (isSignUpAccepted(result)) throw new Error('sign-up answered without tokens');
    return { dp, email, ...result };
  }

  it('creates, assigns and deletes tenant roles', async () => {
    const admin = { HJCTL_TOKEN: await system.adminToken() };
    const roles = ['roles', '--tenant', slug];
    const created = await hjctl(
      admin,
      '--json',
      ...roles,
      'create',
      'writer',
      '--name',
      'Writer',
      '--permission',
      'docs:write,docs:read',
    );
    expect(created.code).toBe(0);
    expect(JSON.parse(created.out)).toMatchObject({
      key: 'writer',
      permissions: ['docs:read', 'docs:write'],
    });
    const list = await hjctl(admin, ...roles, 'list');
    expect(list.out).toMatch(/^KEY\s+NAME\s+PERMISSIONS/);
    expect(list.out).toContain('writer');

    const user = await signUp();
    expect((await hjctl(admin, ...roles, 'assign', user.email, 'writer')).code).toBe(0);
    const next = await user.dp.refresh(user.refresh_token);
    const claims = JSON.parse(
      Buffer.from(next.access_token.split('.')[1] ?? '', 'base64url').toString(),
    ) as Record<string, unknown>;
    expect(claims).toMatchObject({ roles: ['writer'], permissions: ['docs:read', 'docs:write'] });

    const bad = await hjctl(admin, ...roles, 'create', 'x', '--name', 'X', '--permission', 'nope');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('validation_failed');
    expect((await hjctl(admin, ...roles, 'unassign', user.user.id, 'writer')).code).toBe(0);
    expect((await hjctl(admin, ...roles, 'delete', 'writer')).code).toBe(0);
    const gone = await hjctl(admin, ...roles, 'get', 'writer');
    expect(gone.err).toContain('role_not_found');
  });

  it("manages a user's organizations with their access token", async () => {
    const owner = await signUp();
    const member = await signUp();
    const env = { HJCTL_ACCESS_TOKEN: owner.access_token };
    const orgs = ['orgs', '--tenant', slug];
    const orgSlug = `team-${randomBytes(3).toString('hex')}`;
    const created = await hjctl(env, '--json', ...orgs, 'create', orgSlug, '--name', 'Team');
    expect(created.code).toBe(0);
    const org = JSON.parse(created.out) as { id: string; role: string };
    expect(org.role).toBe('owner');
    expect((await hjctl(env, ...orgs, 'list')).out).toContain(orgSlug);
    const invited = await hjctl(env, '--json', ...orgs, 'invite', org.id, member.email);
    expect(JSON.parse(invited.out)).toMatchObject({ email: member.email, role: 'member' });
    expect((await hjctl(env, ...orgs, 'invitations', org.id)).out).toContain(member.email);
    const members = await hjctl(env, ...orgs, 'members', org.id);
    expect(members.out).toContain(owner.email);
    const last = await hjctl(env, ...orgs, 'remove-member', org.id, owner.user.id);
    expect(last.code).toBe(1);
    expect(last.err).toContain('last_owner');
    expect((await hjctl(env, ...orgs, 'delete', org.id)).code).toBe(0);
    const noToken = await hjctl({}, ...orgs, 'list');
    expect(noToken.err).toContain('access token');
  });

  it('fetches every page of organizations, members and invitations, or one page by cursor', async () => {
    const owner = await signUp();
    const env = { HJCTL_ACCESS_TOKEN: owner.access_token };
    const orgs = ['orgs', '--tenant', slug];
    const slugs: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const orgSlug = `paged-${randomBytes(3).toString('hex')}`;
      expect((await hjctl(env, ...orgs, 'create', orgSlug, '--name', `Paged ${i}`)).code).toBe(0);
      slugs.push(orgSlug);
    }
    const all = await hjctl(env, '--json', ...orgs, 'list', '--limit', '2');
    expect(all.code).toBe(0);
    const listed = JSON.parse(all.out) as Array<{ id: string; slug: string }>;
    expect(listed.map((o) => o.slug).sort()).toEqual([...slugs].sort());
    expect(all.err).toContain('fetched 3 organizations (2 pages)');

    // One page at a time: the next_cursor printed on stderr fetches the next one.
    const page1 = await hjctl(env, '--json', ...orgs, 'list', '--limit', '2', '--cursor', 'forged');
    expect(page1.code).toBe(1);
    expect(page1.err).toContain('invalid_cursor');
    const sdk = createDataPlaneClient({ baseUrl: system.dp.url, tenant: slug });
    const first = await sdk.organizations.list(owner.access_token, { limit: 2 });
    expect(first.data).toHaveLength(2);
    const page2 = await hjctl(
      env,
      '--json',
      ...orgs,
      'list',
      '--limit',
      '2',
      '--cursor',
      first.next_cursor ?? '',
    );
    expect(page2.code).toBe(0);
    expect(JSON.parse(page2.out)).toHaveLength(1);
    expect(page2.err).toContain('next_cursor: (last page)');
    const iterated: string[] = [];
    for await (const org of sdk.organizations.iterate(owner.access_token, { limit: 1 })) {
      iterated.push(org.slug);
    }
    expect(iterated.sort()).toEqual([...slugs].sort());

    const orgId = listed[0]?.id ?? '';
    const emails: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const email = `paged-${randomBytes(3).toString('hex')}@example.com`;
      expect((await hjctl(env, ...orgs, 'invite', orgId, email)).code).toBe(0);
      emails.push(email);
    }
    const invitations = await hjctl(env, '--json', ...orgs, 'invitations', orgId, '--limit', '2');
    const pending = JSON.parse(invitations.out) as Array<{ email: string }>;
    expect(pending.map((i) => i.email).sort()).toEqual([...emails].sort());
    expect(invitations.err).toContain('(2 pages)');

    // Two more members (joined directly: invitations have their own tests).
    const db = system.dp.deps.pools.get({ tenantId, database: { mode: 'managed' } });
    const joiners = [await signUp(), await signUp()];
    for (const joiner of joiners) {
      await db.memberships.add({
        id: randomUUID(),
        organizationId: orgId,
        userId: joiner.user.id,
        role: 'member',
      });
    }
    const members = await hjctl(env, '--json', ...orgs, 'members', orgId, '--limit', '1');
    const everyone = JSON.parse(members.out) as Array<{ email: string }>;
    expect(everyone.map((m) => m.email).sort()).toEqual(
      [owner.email, ...joiners.map((j) => j.email)].sort(),
    );
    expect(members.err).toContain('fetched 3 members (3 pages)');
    const bad = await hjctl(env, ...orgs, 'members', orgId, '--limit', '0');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('--limit');
  });
});
