import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '@hellojohn/example-sample-backend';
import { createDataPlaneClient, HelloJohnApiError, isSignUpAccepted } from '@hellojohn/sdk';
import { startSystem } from './support/system';
import type { System } from './support/system';

const slug = (prefix: string): string => `${prefix}-${randomBytes(4).toString('hex')}`;
const PASSWORD = 'a long enough password';

/**
 * examples/sample-backend, driven with real tokens: both planes run, a user signs up on the data
 * plane through the SDK client, and the sample API verifies the token with the SDK middleware.
 */
describe('sample backend with tokens from a running data plane', () => {
  let system: System;
  let tenant: { id: string; slug: string; issuer: string };
  let other: { id: string; slug: string; issuer: string };
  let backend: Server;
  let backendUrl: string;

  beforeAll(async () => {
    system = await startSystem();
    tenant = await system.createTenant(slug('acme'));
    other = await system.createTenant(slug('bravo'));
    backend = createServer(createApp({ tenantUrl: tenant.issuer }));
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => backend.close(resolve));
    await system.close();
  });

  const profile = (authorization?: string) =>
    fetch(`${backendUrl}/api/profile`, { headers: authorization ? { authorization } : {} });

  async function signUp(tenantSlug: string) {
    const dp = createDataPlaneClient({ baseUrl: system.dp.url, tenant: tenantSlug });
    const result = await dp.signUp({
      email: `ada-${randomBytes(3).toString('hex')}@example.com`,
      password: PASSWORD,
    });
    // These tenants keep enumeration protection off, so sign-up answers the user and tokens.
    if (isSignUpAccepted(result)) throw new Error('sign-up answered without tokens');
    return result;
  }

  it('admits a token of its tenant and reads sub and tid from it', async () => {
    const { user, access_token } = await signUp(tenant.slug);
    const res = await profile(`Bearer ${access_token}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ user: user.id, tenant: tenant.id });
  });

  it('admits the access token a refresh returns', async () => {
    const dp = createDataPlaneClient({ baseUrl: system.dp.url, tenant: tenant.slug });
    const { refresh_token } = await signUp(tenant.slug);
    const next = await dp.refresh(refresh_token);
    expect((await profile(`Bearer ${next.access_token}`)).status).toBe(200);
  });

  it("refuses another tenant's token", async () => {
    const { access_token } = await signUp(other.slug);
    const res = await profile(`Bearer ${access_token}`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
  });

  it('refuses a request without a token with a bare challenge', async () => {
    const res = await profile();
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('refuses a tampered token', async () => {
    const { access_token } = await signUp(tenant.slug);
    const [header, payload, signature] = access_token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString(
      'base64url',
    );
    const res = await profile(`Bearer ${header}.${forged}.${signature}`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'invalid_token' });
  });

  it('admits the permission-guarded route only once a role grants docs:write', async () => {
    const dp = createDataPlaneClient({ baseUrl: system.dp.url, tenant: tenant.slug });
    const { user, access_token, refresh_token } = await signUp(tenant.slug);
    const saveDoc = (token: string) =>
      fetch(`${backendUrl}/api/docs/7`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}` },
      });
    const refused = await saveDoc(access_token);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: 'insufficient_permission' });

    // A tenant admin makes a role with the permission and gives it to the user (typed client).
    const adminToken = await system.adminToken();
    const role = await dp.admin.roles.create(adminToken, {
      key: 'writer',
      name: 'Writer',
      permissions: ['docs:write'],
    });
    expect(role.permissions).toEqual(['docs:write']);
    await dp.admin.roles.assign(adminToken, user.id, 'writer');

    // The next access token carries it.
    const next = await dp.refresh(refresh_token);
    const res = await saveDoc(next.access_token);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ saved: '7', by: user.id });

    // In an organization, the token's permissions are the organization role's: an owner's `*`.
    const org = await dp.organizations.create(next.access_token, {
      name: 'Docs',
      slug: slug('docs'),
    });
    expect(org.role).toBe('owner');
    const inOrg = await dp.refresh(next.refresh_token, { organizationId: org.id });
    const claims = JSON.parse(
      Buffer.from(inOrg.access_token.split('.')[1] ?? '', 'base64url').toString(),
    ) as Record<string, unknown>;
    expect(claims).toMatchObject({ org_id: org.id, org_role: 'owner', permissions: ['*'] });
    expect((await saveDoc(inOrg.access_token)).status).toBe(200);
    const editor = await dp.organizations.roles(inOrg.access_token, org.id).create({
      key: 'editor',
      name: 'Editor',
      permissions: ['docs:write'],
    });
    expect(editor.key).toBe('editor');
    expect((await dp.organizations.list(inOrg.access_token)).data).toHaveLength(1);
  });

  it('surfaces data-plane errors as HelloJohnApiError with the stable code', async () => {
    const dp = createDataPlaneClient({ baseUrl: system.dp.url, tenant: tenant.slug });
    const error = await dp
      .signIn({ email: 'nobody@example.com', password: PASSWORD })
      .catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(HelloJohnApiError);
    expect(error).toMatchObject({ status: 401, code: 'invalid_credentials' });
  });
});
