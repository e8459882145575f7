import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { startCpApp, type CpApp } from './support/cp-app';

interface Problem {
  code: string;
  errors: { path: string; message: string }[];
}

/** Custom claims (docs/apis.md#custom-claims) are checked when configured, on tenants and clients. */
describe('custom claims settings', () => {
  let cp: CpApp;
  let owner: string;
  let slug: string;

  beforeAll(async () => {
    cp = await startCpApp(undefined);
    owner = await cp.token();
    slug = `claims-${randomBytes(4).toString('hex')}`;
    await request(cp.app)
      .post('/v1/tenants')
      .set('Authorization', `Bearer ${owner}`)
      .send({ slug, name: 'Claims' })
      .expect(202);
  });
  afterAll(async () => {
    await cp.close();
  });

  const patchTenant = (customClaims: unknown) =>
    request(cp.app)
      .patch(`/v1/tenants/${slug}`)
      .set('Authorization', `Bearer ${owner}`)
      .send({ settings: { custom_claims: customClaims } });

  it('stores valid rules', async () => {
    const rules = [
      { claim: 'plan', from: 'metadata.plan', tokens: ['access', 'id'] },
      { claim: 'https://example.com/tier', value: { level: 2 }, tokens: ['userinfo'] },
      {
        claim: 'org_tier',
        from: 'org.metadata.tier',
        tokens: ['access'],
        when: { from: 'email_verified', equals: true },
      },
    ];
    const res = await patchTenant(rules).expect(200);
    expect(res.body.settings.custom_claims).toEqual(rules);
  });

  it.each([
    ['a reserved claim', [{ claim: 'sub', value: 'x', tokens: ['access'] }], '0.claim'],
    ['a permission claim', [{ claim: 'permissions', value: [], tokens: ['access'] }], '0.claim'],
    ['both from and value', [{ claim: 'a', from: 'email', value: 1, tokens: ['id'] }], '0.from'],
    ['neither from nor value', [{ claim: 'a', tokens: ['id'] }], '0.from'],
    ['a path outside the user', [{ claim: 'a', from: 'password_hash', tokens: ['id'] }], '0.from'],
    ['a field of a plain value', [{ claim: 'a', from: 'email.domain', tokens: ['id'] }], '0.from'],
    ['an unknown token', [{ claim: 'a', value: 1, tokens: ['refresh'] }], '0.tokens.0'],
    [
      'a repeated claim',
      [
        { claim: 'a', value: 1, tokens: ['id'] },
        { claim: 'a', value: 2, tokens: ['id'] },
      ],
      '1.claim',
    ],
  ])('refuses %s, naming the field', async (_name, rules, path) => {
    const res = await patchTenant(rules).expect(400);
    const body = res.body as Problem;
    expect(body.code).toBe('validation_failed');
    expect(body.errors.map((error) => error.path)).toContain(`body.settings.custom_claims.${path}`);
  });

  it("takes a client's own rules, checked the same way", async () => {
    const tenant = await cp.createTenant();
    const base = `/v1/tenants/${tenant.slug}/clients`;
    const created = await request(cp.app)
      .post(base)
      .set('Authorization', `Bearer ${owner}`)
      .send({
        name: 'App',
        type: 'confidential',
        grant_types: ['client_credentials'],
        custom_claims: [{ claim: 'app', value: 'billing', tokens: ['access'] }],
      })
      .expect(201);
    expect(created.body.custom_claims).toEqual([
      { claim: 'app', value: 'billing', tokens: ['access'] },
    ]);
    const refused = await request(cp.app)
      .patch(`${base}/${created.body.client_id as string}`)
      .set('Authorization', `Bearer ${owner}`)
      .send({ custom_claims: [{ claim: 'iss', value: 'evil', tokens: ['access'] }] })
      .expect(400);
    expect((refused.body as Problem).errors[0]?.path).toBe('body.custom_claims.0.claim');
    const cleared = await request(cp.app)
      .patch(`${base}/${created.body.client_id as string}`)
      .set('Authorization', `Bearer ${owner}`)
      .send({ custom_claims: null })
      .expect(200);
    expect(cleared.body.custom_claims).toBeNull();
  });
});
