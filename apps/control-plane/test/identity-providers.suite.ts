import request from 'supertest';
import { generateKeyPairSync } from 'node:crypto';
import type { DatabaseSetup } from './support/cp-databases';
import { useTenantFixture } from './support/tenant-fixture';

interface ProviderBody {
  id: string;
  type: string;
  name: string;
  enabled: boolean;
  issuer: string | null;
  client_id: string;
  client_secret_set: boolean;
  scopes: string[];
  attribute_mapping: { email: string; name: string; picture: string };
  store_upstream_tokens: boolean;
  apple: { team_id: string; key_id: string } | null;
  callback_url: string;
  [key: string]: unknown;
}

interface ProblemBody {
  code: string;
  errors?: { path: string; message: string }[];
}

const SECRET = 'upstream-client-secret-value-123';
const ACME_IDP = {
  type: 'oidc',
  name: 'Acme SSO',
  issuer: 'https://sso.acme.test',
  client_id: 'hellojohn',
  client_secret: SECRET,
};

const appleKey = (): string =>
  generateKeyPairSync('ec', { namedCurve: 'P-256' })
    .privateKey.export({ format: 'pem', type: 'pkcs8' })
    .toString();

/** The identity-provider routes and their internal read against one database engine. */
export function identityProvidersSuite(engine: string, setup: DatabaseSetup): void {
  describe(`identity providers (${engine})`, () => {
    const base = (ref = fx.tenant.slug): string => `/v1/tenants/${ref}/identity-providers`;
    const fx = useTenantFixture(setup);
    const owner = () => fx.owner;

    it('configures an OIDC provider with defaults, never answers the secret, and publishes identity_provider.created', async () => {
      const res = await owner().post(base()).send(ACME_IDP).expect(201);
      const body = res.body as ProviderBody;
      expect(body).toMatchObject({
        type: 'oidc',
        name: 'Acme SSO',
        enabled: true,
        issuer: 'https://sso.acme.test',
        client_id: 'hellojohn',
        client_secret_set: true,
        scopes: ['openid', 'email', 'profile'],
        attribute_mapping: { email: 'email', name: 'name', picture: 'picture' },
        store_upstream_tokens: false,
        apple: null,
        callback_url: `https://id.example.com/t/${fx.tenant.slug}/login/federated/${body.id}/callback`,
      });
      expect(JSON.stringify(body)).not.toContain(SECRET);
      expect(res.headers['location']).toBe(`${base()}/${body.id}`);
      expect(await fx.cp.takeEvents()).toEqual([
        expect.objectContaining({
          type: 'identity_provider.created',
          tenant_id: fx.tenant.id,
          data: { identity_provider_id: body.id },
        }),
      ]);
      const stored = await fx.cp.deps.db.identityProviders.find(fx.tenant.id, body.id);
      expect(stored?.secretSealed).toEqual(expect.any(String));
      expect(stored?.secretSealed).not.toContain(SECRET);
      expect(JSON.stringify(stored?.config)).not.toContain(SECRET);
      const audit = await fx.cp.deps.db.auditLog.list({
        limit: 10,
        action: 'identity_provider.created',
      });
      expect(audit.rows.length).toBeGreaterThan(0);
      expect(JSON.stringify(audit.rows)).not.toContain(SECRET);
    });

    it('refuses what does not fit the type, naming the field', async () => {
      const noIssuer = await owner()
        .post(base())
        .send({ ...ACME_IDP, issuer: undefined })
        .expect(400);
      expect((noIssuer.body as ProblemBody).errors).toEqual([
        expect.objectContaining({ path: 'body.issuer' }),
      ]);
      const plainHttp = await owner()
        .post(base())
        .send({ ...ACME_IDP, issuer: 'http://sso.acme.test' })
        .expect(400);
      expect((plainHttp.body as ProblemBody).errors?.[0]?.path).toBe('body.issuer');
      const noSecret = await owner()
        .post(base())
        .send({ type: 'github', name: 'GitHub', client_id: 'x' })
        .expect(400);
      expect((noSecret.body as ProblemBody).errors?.[0]?.path).toBe('body.client_secret');
      const appleWithoutKey = await owner()
        .post(base())
        .send({ type: 'apple', name: 'Apple', client_id: 'com.acme.web' })
        .expect(400);
      expect((appleWithoutKey.body as ProblemBody).errors?.[0]?.path).toBe('body.apple');
      const badType = await owner()
        .post(base())
        .send({ ...ACME_IDP, type: 'myspace' })
        .expect(400);
      expect((badType.body as ProblemBody).errors?.[0]?.path).toBe('body.type');
    });

    it('accepts presets: GitHub scopes, Microsoft common by default, Apple with a sealed key', async () => {
      const github = await owner()
        .post(base())
        .send({ type: 'github', name: 'GitHub', client_id: 'gh', client_secret: 'gh-secret' })
        .expect(201);
      expect((github.body as ProviderBody).scopes).toEqual(['read:user', 'user:email']);
      const microsoft = await owner()
        .post(base())
        .send({ type: 'microsoft', name: 'Microsoft', client_id: 'ms', client_secret: 'ms-s' })
        .expect(201);
      expect((microsoft.body as ProviderBody).issuer).toBe('common');
      const key = appleKey();
      const apple = await owner()
        .post(base())
        .send({
          type: 'apple',
          name: 'Apple',
          client_id: 'com.acme.web',
          apple: { team_id: 'ABCDE12345', key_id: 'KEY1234567', private_key: key },
        })
        .expect(201);
      const body = apple.body as ProviderBody;
      expect(body.apple).toEqual({ team_id: 'ABCDE12345', key_id: 'KEY1234567' });
      expect(body.client_secret_set).toBe(true);
      expect(JSON.stringify(body)).not.toContain('PRIVATE KEY');
    });

    it('updates (disable, replace the secret), lists, and serves the data plane the secrets in clear', async () => {
      const created = (await owner().post(base()).send(ACME_IDP).expect(201)).body as ProviderBody;
      await fx.cp.takeEvents();
      const patched = await owner()
        .patch(`${base()}/${created.id}`)
        .send({
          enabled: false,
          client_secret: 'rotated-secret',
          attribute_mapping: { email: 'mail' },
        })
        .expect(200);
      expect(patched.body).toMatchObject({
        enabled: false,
        attribute_mapping: { email: 'mail', name: 'name', picture: 'picture' },
      });
      expect(await fx.cp.takeEvents()).toEqual([
        expect.objectContaining({
          type: 'identity_provider.updated',
          data: { identity_provider_id: created.id },
        }),
      ]);
      const list = await fx.viewer.get(`${base()}?limit=100`).expect(200);
      expect((list.body as { data: ProviderBody[] }).data.map((p) => p.id)).toContain(created.id);
      await fx.viewer.post(base()).send(ACME_IDP).expect(403);

      await owner().get(`/internal/v1/tenants/${fx.tenant.id}/identity-providers`).expect(401);
      const internal = await request(fx.cp.app)
        .get(`/internal/v1/tenants/${fx.tenant.id}/identity-providers`)
        .set('Authorization', `Bearer ${fx.cp.deps.config.internalToken}`)
        .expect(200);
      const entry = (internal.body as { data: Record<string, unknown>[] }).data.find(
        (p) => p['id'] === created.id,
      );
      expect(entry).toMatchObject({
        enabled: false,
        client_secret: 'rotated-secret',
        attribute_mapping: { email: 'mail' },
      });
      const apple = (internal.body as { data: Record<string, unknown>[] }).data.find(
        (p) => p['type'] === 'apple',
      );
      expect(apple?.['apple']).toMatchObject({
        private_key: expect.stringContaining('PRIVATE KEY'),
      });
    });

    it('deletes with identity_provider.deleted, then 404s; another tenant cannot see it', async () => {
      const created = (await owner().post(base()).send(ACME_IDP).expect(201)).body as ProviderBody;
      const other = await fx.cp.createTenant();
      const wrong = await owner()
        .get(`${base(other.slug)}/${created.id}`)
        .expect(404);
      expect((wrong.body as ProblemBody).code).toBe('identity_provider_not_found');
      await fx.cp.takeEvents();
      await owner().delete(`${base()}/${created.id}`).expect(204);
      expect(await fx.cp.takeEvents()).toEqual([
        expect.objectContaining({
          type: 'identity_provider.deleted',
          data: { identity_provider_id: created.id },
        }),
      ]);
      const gone = await owner().get(`${base()}/${created.id}`).expect(404);
      expect((gone.body as ProblemBody).code).toBe('identity_provider_not_found');
    });
  });
}
