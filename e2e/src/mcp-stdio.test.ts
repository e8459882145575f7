import { randomBytes } from 'node:crypto';
import { allTools } from '@hellojohn/mcp-server';
import { createDataPlaneClient } from '@hellojohn/sdk';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { callFails, callOk, stdioMcpClient } from './support/mcp';
import { ADMIN, startSystem, type System } from './support/system';

const PASSWORD = 'analytical engine notes 1843';

/**
 * The MCP server over stdio (issue 17), as a desktop assistant runs it, against both planes:
 * every tool called at least once, tool errors for bad arguments and refused calls, the actor in
 * the audit log, the tenant resource and the set-up prompt, and read-only mode.
 */
describe('MCP server over stdio', () => {
  let system: System;
  let mcp: Client;
  let stderr: () => string;
  const called = new Set<string>();
  const env = (): Record<string, string> => ({
    HJ_CP_URL: system.cp.url,
    HJ_PUBLIC_URL: system.dp.url,
    HJ_MCP_EMAIL: ADMIN.email,
    HJ_MCP_PASSWORD: ADMIN.password,
  });

  const ok = async (name: string, args: Record<string, unknown> = {}) => {
    called.add(name);
    return callOk(mcp, name, args);
  };
  const fails = async (name: string, args: Record<string, unknown> = {}) => {
    called.add(name);
    return callFails(mcp, name, args);
  };

  beforeAll(async () => {
    system = await startSystem();
    ({ client: mcp, stderr } = await stdioMcpClient(env()));
  });
  afterAll(async () => {
    await mcp.close();
    await system.close();
  });

  it('lists every tool with a description, a strict input schema and annotations', async () => {
    const { tools } = await mcp.listTools();
    expect(tools.length).toBeGreaterThanOrEqual(46);
    expect(tools.map((tool) => tool.name).sort()).toEqual(allTools.map((t) => t.name).sort());
    for (const tool of tools) {
      expect(tool.description?.length ?? 0).toBeGreaterThan(30);
      expect(tool.inputSchema).toMatchObject({ type: 'object', additionalProperties: false });
      expect(tool.outputSchema).toMatchObject({ type: 'object' });
      expect(typeof tool.annotations?.readOnlyHint).toBe('boolean');
      expect(typeof tool.annotations?.destructiveHint).toBe('boolean');
      expect(typeof tool.annotations?.idempotentHint).toBe('boolean');
      // Destructive tools, and only they, demand an explicit confirmation.
      const required = tool.inputSchema.required ?? [];
      expect(required.includes('confirm')).toBe(tool.annotations?.destructiveHint === true);
    }
  });

  it('calls every tool against the real planes', async () => {
    const slug = `mcp-${randomBytes(3).toString('hex')}`;
    expect(await ok('health_check')).toMatchObject({ healthy: true });

    // Tenants.
    const tenant = await ok('tenants_create', { slug, name: 'MCP Tenant', wait_seconds: 60 });
    expect(tenant).toMatchObject({ slug, status: 'active' });
    expect(((await ok('tenants_list', { status: 'active' })).items as unknown[]).length).toBe(1);
    expect(await ok('tenants_get', { tenant: slug })).toMatchObject({ id: tenant.id });
    expect(await ok('tenants_provisioning_status', { tenant: slug })).toMatchObject({
      status: 'active',
      status_reason: null,
    });
    await ok('tenants_update', { tenant: slug, settings: { max_sessions_per_user: 7 } });
    const merged = await ok('tenants_update', { tenant: slug, settings: { mfa: 'optional' } });
    expect(merged.settings).toMatchObject({ max_sessions_per_user: 7, mfa: 'optional' });

    // Clients, API resources and grants.
    const web = await ok('clients_create', {
      tenant: slug,
      name: 'Web',
      type: 'confidential',
      grant_types: ['authorization_code', 'refresh_token'],
      redirect_uris: ['https://app.example.com/callback'],
    });
    expect(web.client_secret).toEqual(expect.any(String));
    const listed = JSON.stringify(await ok('clients_list', { tenant: slug }));
    expect(listed).toContain(web.client_id as string);
    expect(listed).not.toContain(web.client_secret as string);
    expect(await ok('clients_get', { tenant: slug, client_id: web.client_id })).toMatchObject({
      name: 'Web',
    });
    expect(
      await ok('clients_update', { tenant: slug, client_id: web.client_id, name: 'Web app' }),
    ).toMatchObject({ name: 'Web app' });
    const rotated = await ok('clients_rotate_secret', {
      tenant: slug,
      client_id: web.client_id,
      confirm: true,
    });
    expect(rotated.client_secret).not.toBe(web.client_secret);

    const api = await ok('resources_create', {
      tenant: slug,
      identifier: 'https://api.example.com',
      name: 'Invoices',
      scopes: [{ name: 'invoices:read' }],
      subjects: 'both',
    });
    expect(((await ok('resources_list', { tenant: slug })).items as unknown[]).length).toBe(1);
    expect(await ok('resources_get', { tenant: slug, resource_id: api.id })).toMatchObject({
      identifier: 'https://api.example.com',
    });
    await ok('resources_update', {
      tenant: slug,
      resource_id: api.id,
      scopes: [{ name: 'invoices:read' }, { name: 'invoices:write' }],
    });
    // Identity providers: the secret goes in and never comes back (nor into the log).
    const IDP_SECRET = `gh-secret-${slug}`;
    const idp = await ok('identity_providers_create', {
      tenant: slug,
      type: 'github',
      name: 'GitHub',
      client_id: 'Iv1.mcp',
      client_secret: IDP_SECRET,
    });
    expect(idp).toMatchObject({ type: 'github', client_secret_set: true });
    expect(idp.callback_url).toContain(`/t/${slug}/login/federated/${idp.id as string}/callback`);
    const idps = await ok('identity_providers_list', { tenant: slug });
    expect(idps.items).toEqual([expect.objectContaining({ id: idp.id })]);
    expect(
      await ok('identity_providers_update', {
        tenant: slug,
        provider_id: idp.id,
        enabled: false,
        client_secret: `${IDP_SECRET}-2`,
      }),
    ).toMatchObject({ enabled: false });
    const shown = await ok('identity_providers_get', { tenant: slug, provider_id: idp.id });
    expect(JSON.stringify([idp, idps, shown])).not.toContain(IDP_SECRET);
    await ok('identity_providers_delete', { tenant: slug, provider_id: idp.id, confirm: true });
    expect(await fails('identity_providers_get', { tenant: slug, provider_id: idp.id })).toMatch(
      /HTTP 404/,
    );

    const m2m = await ok('clients_create', {
      tenant: slug,
      name: 'Billing job',
      type: 'confidential',
      grant_types: ['client_credentials'],
    });
    await ok('clients_grant_resource', {
      tenant: slug,
      client_id: m2m.client_id,
      resource_id: api.id,
      scopes: ['invoices:read'],
    });
    expect(
      (await ok('clients_grants_list', { tenant: slug, client_id: m2m.client_id })).items,
    ).toEqual([expect.objectContaining({ resource_id: api.id, scopes: ['invoices:read'] })]);
    await ok('clients_revoke_resource', {
      tenant: slug,
      client_id: m2m.client_id,
      resource_id: api.id,
      confirm: true,
    });

    // Operators.
    expect(((await ok('admins_list')).items as unknown[]).length).toBeGreaterThanOrEqual(1);
    const admin = await ok('admins_create', {
      email: `viewer-${slug}@example.com`,
      password: PASSWORD,
      role: 'viewer',
    });
    expect(JSON.stringify(admin)).not.toContain(PASSWORD);
    expect(await ok('admins_update', { admin_id: admin.id, disabled: true })).toMatchObject({
      disabled: true,
    });
    await ok('admins_delete', { admin_id: admin.id, confirm: true });
    const key = await ok('api_keys_create', { name: 'ci', role: 'viewer' });
    expect(key.key).toMatch(/^hjk_/);
    expect(JSON.stringify(await ok('api_keys_list'))).not.toContain(key.key as string);
    const rekeyed = await ok('api_keys_rotate', { key_id: key.id, confirm: true });
    expect(rekeyed.key).toMatch(/^hjk_/);
    await ok('api_keys_revoke', { key_id: key.id, confirm: true });

    // Webhooks.
    const hook = await ok('webhooks_create', {
      tenant: slug,
      url: 'http://127.0.0.1:9/hook',
      event_types: ['user.*'],
    });
    expect(hook.secret).toMatch(/^whsec_/);
    expect(((await ok('webhooks_list', { tenant: slug })).items as unknown[]).length).toBe(1);
    await ok('webhooks_get', { tenant: slug, webhook_id: hook.id });
    expect(
      await ok('webhooks_update', { tenant: slug, webhook_id: hook.id, enabled: false }),
    ).toMatchObject({ enabled: false });
    await ok('webhooks_rotate_secret', {
      tenant: slug,
      webhook_id: hook.id,
      overlap_seconds: 0,
      confirm: true,
    });
    const deliveries = await ok('webhooks_deliveries_list', { tenant: slug, webhook_id: hook.id });
    const delivery = (deliveries.items as { id: string }[])[0];
    if (delivery) {
      await ok('webhooks_delivery_retry', {
        tenant: slug,
        webhook_id: hook.id,
        delivery_id: delivery.id,
      });
    } else {
      expect(
        await fails('webhooks_delivery_retry', {
          tenant: slug,
          webhook_id: hook.id,
          delivery_id: '00000000-0000-4000-8000-000000000000',
        }),
      ).toMatch(/HTTP 404/);
    }

    // Users, their MFA, sessions and consents.
    const email = `ada-${slug}@example.com`;
    const user = await ok('users_create', { tenant: slug, email, password: PASSWORD, name: 'Ada' });
    expect(JSON.stringify(user)).not.toContain(PASSWORD);
    expect(((await ok('users_list', { tenant: slug })).items as unknown[]).length).toBe(1);
    expect((await ok('users_search', { tenant: slug, email_prefix: 'ada-' })).items).toEqual([
      expect.objectContaining({ id: user.id }),
    ]);
    expect(await ok('users_get', { tenant: slug, user: email })).toMatchObject({ id: user.id });
    await ok('users_update', { tenant: slug, user: user.id, metadata: { plan: 'pro' } });
    expect(await ok('users_disable', { tenant: slug, user: email, confirm: true })).toMatchObject({
      status: 'disabled',
    });
    expect(await ok('users_enable', { tenant: slug, user: email })).toMatchObject({
      status: 'active',
    });
    expect(await ok('users_consents_list', { tenant: slug, user: email })).toMatchObject({
      items: [],
    });
    expect(await ok('users_mfa_get', { tenant: slug, user: email })).toMatchObject({ factors: [] });
    await ok('users_mfa_reset', { tenant: slug, user: email, confirm: true });

    // Tokens: a real access token of the user, decoded and verified with the tenant's JWKS.
    const dp = createDataPlaneClient({ baseUrl: system.dp.url, tenant: slug });
    const signedIn = await dp.signIn({ email, password: PASSWORD });
    if (!('access_token' in signedIn)) throw new Error('expected tokens');
    const token = signedIn.access_token;
    const decoded = await ok('tokens_decode', { token });
    expect(decoded).toMatchObject({
      header: { typ: 'at+jwt' },
      claims: { sub: user.id },
      expired: false,
    });
    expect(JSON.stringify(decoded)).not.toContain(token.split('.')[2]);
    expect(await ok('tokens_verify', { tenant: slug, token })).toMatchObject({
      valid: true,
      claims: { sub: user.id },
    });
    const [head, body] = token.split('.');
    const forged = `${head}.${body}.${Buffer.from('not the signature').toString('base64url')}`;
    expect(await ok('tokens_verify', { tenant: slug, token: forged })).toMatchObject({
      valid: false,
      claims: null,
    });
    // One session ended by an admin; then every other one.
    const sessions = await ok('users_sessions_list', { tenant: slug, user: email });
    const [session] = sessions.items as { id: string }[];
    if (!session) throw new Error('expected the session of the sign-in');
    await ok('users_sessions_revoke', {
      tenant: slug,
      user: email,
      session_id: session.id,
      confirm: true,
    });
    await expect(dp.refresh(signedIn.refresh_token)).rejects.toMatchObject({ status: 401 });
    const again = await dp.signIn({ email, password: PASSWORD });
    if (!('refresh_token' in again)) throw new Error('expected tokens');
    await ok('users_sign_out', { tenant: slug, user: email, confirm: true });
    await expect(dp.refresh(again.refresh_token)).rejects.toMatchObject({ status: 401 });

    // Roles.
    await ok('roles_create', {
      tenant: slug,
      key: 'editor',
      name: 'Editor',
      permissions: ['docs:read'],
    });
    expect(JSON.stringify(await ok('roles_list', { tenant: slug }))).toContain('editor');
    await ok('roles_update', {
      tenant: slug,
      role: 'editor',
      permissions: ['docs:read', 'docs:write'],
    });
    expect(await ok('roles_get', { tenant: slug, role: 'editor' })).toMatchObject({
      permissions: ['docs:read', 'docs:write'],
    });
    await ok('roles_assign', { tenant: slug, user_id: user.id, role: 'editor' });
    await ok('roles_unassign', { tenant: slug, user_id: user.id, role: 'editor', confirm: true });
    await ok('roles_delete', { tenant: slug, role: 'editor', confirm: true });

    // Organizations and their members, as tenant admins.
    const bob = await ok('users_create', { tenant: slug, email: `bob-${slug}@example.com` });
    const org = await ok('organizations_create', {
      tenant: slug,
      name: 'Globex',
      slug: 'globex',
      owner_user: email,
    });
    expect(org).toMatchObject({ slug: 'globex', name: 'Globex' });
    expect((await ok('organizations_list', { tenant: slug })).items).toEqual([
      expect.objectContaining({ id: org.id }),
    ]);
    await ok('organizations_update', { tenant: slug, organization: 'globex', name: 'Globex Co' });
    expect(await ok('organizations_get', { tenant: slug, organization: org.id })).toMatchObject({
      name: 'Globex Co',
    });
    expect(
      await ok('organizations_members_set_role', {
        tenant: slug,
        organization: 'globex',
        user: bob.id,
        role: 'member',
      }),
    ).toMatchObject({ user_id: bob.id, role: 'member' });
    const members = await ok('organizations_members_list', {
      tenant: slug,
      organization: 'globex',
    });
    expect(
      (members.items as { user_id: string; role: string }[]).map((m) => m.role).sort(),
    ).toEqual(['member', 'owner']);
    await ok('organizations_members_remove', {
      tenant: slug,
      organization: 'globex',
      user: bob.id,
      confirm: true,
    });
    // The last owner stays: a refusal is a tool error naming the code.
    expect(
      await fails('organizations_members_remove', {
        tenant: slug,
        organization: 'globex',
        user: email,
        confirm: true,
      }),
    ).toMatch(/last_owner/);
    await ok('organizations_delete', { tenant: slug, organization: 'globex', confirm: true });

    // The provisioning dead-letter queue: embedded mode has none, and says so.
    expect(await ok('dlq_list', { limit: 10 })).toMatchObject({
      mode: 'in-process',
      items: [],
      more: false,
    });
    expect(await ok('dlq_replay', { confirm: true })).toMatchObject({ replayed: 0 });

    // Keys.
    const before = await ok('keys_jwks', { tenant: slug });
    expect((before.keys as unknown[]).length).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(before)).not.toMatch(/"d"/);
    await ok('tenants_rotate_keys', { tenant: slug });

    // Clean-up, all destructive.
    await ok('users_delete', { tenant: slug, user: user.id, confirm: true });
    await ok('webhooks_delete', { tenant: slug, webhook_id: hook.id, confirm: true });
    await ok('resources_delete', { tenant: slug, resource_id: api.id, confirm: true });
    await ok('clients_delete', { tenant: slug, client_id: web.client_id, confirm: true });
    expect(await ok('tenants_delete', { tenant: slug, confirm: true })).toMatchObject({
      status: 'deleting',
    });

    // What this server did is in the audit log, marked by its request ids.
    const audit = await ok('audit_log_search', { action: 'tenant.created', limit: 5 });
    expect(audit.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ request_id: expect.stringMatching(/^mcp-/) }),
      ]),
    );

    expect([...called].sort()).toEqual(allTools.map((tool) => tool.name).sort());
    // Secrets never reach the log: the log names tools and outcomes only.
    expect(stderr()).not.toContain(web.client_secret as string);
    expect(stderr()).not.toContain(key.key as string);
    expect(stderr()).not.toContain(PASSWORD);
    expect(stderr()).not.toContain(IDP_SECRET);
  });

  it('answers bad arguments, refused calls and missing confirmations as tool errors', async () => {
    expect(await callFails(mcp, 'tenants_create', { slug: 'Not A Slug', name: 'x' })).toMatch(
      /slug/,
    );
    expect(await callFails(mcp, 'tenants_list', { limit: 1000 })).toMatch(/limit/);
    expect(await callFails(mcp, 'tenants_get', { tenant: 'x', extra: 1 })).toMatch(/extra/);
    expect(await callFails(mcp, 'tenants_delete', { tenant: 'whatever' })).toMatch(/confirm/);
    expect(await callFails(mcp, 'tenants_get', { tenant: 'no-such-tenant' })).toMatch(
      /HTTP 404, tenant_not_found/,
    );
    expect(await callFails(mcp, 'tokens_decode', { token: 'definitely-not-a-jwt' })).toMatch(
      /not a JWT/,
    );
    expect(
      await callFails(mcp, 'identity_providers_create', { tenant: 'x', type: 'github', name: 'G' }),
    ).toMatch(/client_id/);
    expect(
      await callFails(mcp, 'organizations_create', { tenant: 'x', name: 'A', slug: 'Bad Slug' }),
    ).toMatch(/slug/);
    expect(await callFails(mcp, 'dlq_replay', { limit: 1 })).toMatch(/confirm/);
    expect(await callFails(mcp, 'dlq_list', { limit: 0 })).toMatch(/limit/);
    expect(
      await callFails(mcp, 'users_sessions_revoke', { tenant: 'x', user: 'u', confirm: true }),
    ).toMatch(/session_id/);
    // The server is still there.
    await callOk(mcp, 'health_check');
  });

  it('serves a tenant configuration resource and the set-up prompt', async () => {
    const slug = `mcp-${randomBytes(3).toString('hex')}`;
    await system.createTenant(slug);
    const { resources } = await mcp.listResources();
    expect(resources.map((r) => r.uri)).toContain(`hellojohn://tenants/${slug}`);
    const read = await mcp.readResource({ uri: `hellojohn://tenants/${slug}` });
    const text = read.contents[0] && 'text' in read.contents[0] ? read.contents[0].text : '';
    expect(JSON.parse(text)).toMatchObject({ tenant: { slug }, clients: [], resources: [] });

    const { prompts } = await mcp.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(['setup_tenant_with_web_client']);
    const prompt = await mcp.getPrompt({
      name: 'setup_tenant_with_web_client',
      arguments: { slug: 'shop', name: 'Shop', redirect_uri: 'https://shop.example.com/cb' },
    });
    const message = prompt.messages[0]?.content;
    expect(message && 'text' in message ? message.text : '').toMatch(
      /tenants_create.*\n.*clients_create/,
    );
  });

  it('registers only reading tools with --read-only', async () => {
    const readOnly = await stdioMcpClient(env(), ['--read-only']);
    try {
      const { tools } = await readOnly.client.listTools();
      expect(tools.length).toBeGreaterThan(20);
      expect(tools.every((tool) => tool.annotations?.readOnlyHint === true)).toBe(true);
      const names = tools.map((t) => t.name);
      for (const write of ['tenants_delete', 'identity_providers_create', 'dlq_replay']) {
        expect(names).not.toContain(write);
      }
      expect(names).toEqual(expect.arrayContaining(['dlq_list', 'organizations_list']));
      const refused = await readOnly.client.callTool({
        name: 'tenants_create',
        arguments: { slug: 'nope', name: 'Nope' },
      });
      expect(refused.isError).toBe(true);
      await callOk(readOnly.client, 'tenants_list');
    } finally {
      await readOnly.client.close();
    }
  });
});
