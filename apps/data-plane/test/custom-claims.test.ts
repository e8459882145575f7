import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import request from 'supertest';
import { tenantApi } from './support/auth-client';
import { startDpSystem, type DpSystem, type TestTenant } from './support/dp-system';
import { codeFlowClient } from './support/fake-clients';
import { codeFlowTokens, tenantDb } from './support/oidc-fixtures';
import type { ClientCredentials } from './support/oauth-client';

jest.setTimeout(60_000);

const APP = 'https://app.example.com/cb';

const RULES = [
  { claim: 'plan', from: 'metadata.plan', tokens: ['access', 'id', 'userinfo'] },
  {
    claim: 'tier',
    value: 'gold',
    tokens: ['access'],
    when: { from: 'metadata.plan', equals: 'pro' },
  },
  { claim: 'https://example.com/roles', from: 'roles', tokens: ['id'] },
  // Far past the per-token budget: left out, the others stay.
  { claim: 'notes', from: 'metadata.notes', tokens: ['access', 'id', 'userinfo'] },
  { claim: 'customer', from: 'metadata.billing.customer_id', tokens: ['access', 'userinfo'] },
];

/**
 * Declarative custom claims (docs/apis.md#custom-claims): the tenant's rules put values of the
 * user into first-party access tokens, OAuth access and ID tokens and userinfo, as configured; a
 * client's own rules replace the tenant's for its tokens; the size budget holds.
 */
describe('custom claims in tokens and userinfo', () => {
  let system: DpSystem;
  let tenant: TestTenant;
  let web: ClientCredentials;
  let own: ClientCredentials;
  let user: { id: string; email: string };

  beforeAll(async () => {
    system = await startDpSystem();
    tenant = await system.createTenant('claims', { custom_claims: RULES });
    web = await system.clients.register(tenant.id, codeFlowClient(APP));
    own = await system.clients.register(
      tenant.id,
      codeFlowClient(APP, {
        settings: { custom_claims: [{ claim: 'app', value: 'billing', tokens: ['access', 'id'] }] },
      }),
    );
    const created = await tenantApi(system.dp.url, tenant).newUser('claims');
    user = { id: created.id, email: created.email };
    const db = tenantDb(system, tenant);
    await db.users.update(user.id, {
      metadata: { plan: 'pro', notes: 'x'.repeat(3000), billing: { customer_id: 'cus_42' } },
    });
    const roleId = randomUUID();
    await db.roles.insert({
      id: roleId,
      organizationId: null,
      key: 'editor',
      name: 'Editor',
      permissions: ['docs:write'],
    });
    await db.userRoles.assign(user.id, roleId);
  });
  afterAll(async () => {
    await system.close();
  });

  it('puts them in first-party access tokens, with `when` and nested paths', async () => {
    const res = await tenantApi(system.dp.url, tenant).signIn(user.email).expect(200);
    const claims = decodeJwt(res.body.access_token as string);
    expect(claims).toMatchObject({ plan: 'pro', tier: 'gold', customer: 'cus_42' });
    expect(claims).not.toHaveProperty('notes');
    expect(claims).not.toHaveProperty('https://example.com/roles');
  });

  it('puts each in the OAuth tokens and userinfo it names', async () => {
    const { body } = await codeFlowTokens(system, tenant, web, {
      userId: user.id,
      redirectUri: APP,
      scope: 'openid profile',
      challenge: null,
    });
    const access = decodeJwt(body.access_token);
    expect(access).toMatchObject({ plan: 'pro', tier: 'gold', customer: 'cus_42' });
    const id = decodeJwt(body.id_token);
    expect(id).toMatchObject({ plan: 'pro', 'https://example.com/roles': ['editor'] });
    expect(id).not.toHaveProperty('tier');
    expect(id).not.toHaveProperty('customer');
    const info = await request(system.dp.url)
      .get(`/t/${tenant.slug}/userinfo`)
      .set('Authorization', `Bearer ${body.access_token}`)
      .expect(200);
    expect(info.body).toMatchObject({ sub: user.id, plan: 'pro', customer: 'cus_42' });
    expect(info.body).not.toHaveProperty('notes');
    expect(info.body).not.toHaveProperty('tier');
  });

  it("applies a client's own rules instead of the tenant's", async () => {
    const { body } = await codeFlowTokens(system, tenant, own, {
      userId: user.id,
      redirectUri: APP,
      scope: 'openid',
      challenge: null,
    });
    const access = decodeJwt(body.access_token);
    expect(access).toMatchObject({ app: 'billing' });
    expect(access).not.toHaveProperty('plan');
    expect(decodeJwt(body.id_token)).toMatchObject({ app: 'billing' });
  });

  it('follows the user: a changed plan changes the next token, a missing value adds nothing', async () => {
    const db = tenantDb(system, tenant);
    const other = await tenantApi(system.dp.url, tenant).newUser('claims-free');
    await db.users.update(other.id, { metadata: { plan: 'free' } });
    const res = await tenantApi(system.dp.url, tenant).signIn(other.email).expect(200);
    const claims = decodeJwt(res.body.access_token as string);
    expect(claims.plan).toBe('free');
    expect(claims).not.toHaveProperty('tier');
    expect(claims).not.toHaveProperty('customer');
  });
});
