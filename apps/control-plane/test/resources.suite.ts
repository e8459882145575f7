import request from 'supertest';
import type { DatabaseSetup } from './support/cp-databases';
import { useTenantFixture } from './support/tenant-fixture';

interface ResourceBody {
  id: string;
  identifier: string;
  name: string;
  scopes: { name: string; description: string | null }[];
  access_token_alg: string;
  access_token_ttl: number | null;
  subjects: string;
  created_at: string;
  updated_at: string;
}

interface ProblemBody {
  code: string;
  errors?: { path: string; message: string }[];
}

const INVOICES = {
  identifier: 'https://api.example.com/invoices',
  name: 'Invoices API',
  scopes: [
    { name: 'invoices:read', description: 'Read invoices' },
    { name: 'invoices:write', description: 'Create and change invoices' },
  ],
};

/** The API resources routes and the client grants on them against one database engine. */
export function resourcesSuite(engine: string, setup: DatabaseSetup): void {
  describe(`API resources (${engine})`, () => {
    const base = (ref = fx.tenant.slug): string => `/v1/tenants/${ref}/resources`;
    const fx = useTenantFixture(setup);
    const owner = () => fx.owner;
    let counter = 0;
    /** A resource with a fresh identifier, so tests do not depend on each other. */
    async function create(extra: object = {}, ref = fx.tenant.slug): Promise<ResourceBody> {
      counter += 1;
      const res = await owner()
        .post(base(ref))
        .send({ ...INVOICES, identifier: `${INVOICES.identifier}/${counter}`, ...extra })
        .expect(201);
      return res.body as ResourceBody;
    }
    async function machineClient(type = 'confidential'): Promise<string> {
      const res = await owner()
        .post(`/v1/tenants/${fx.tenant.slug}/clients`)
        .send(
          type === 'confidential'
            ? { name: 'Billing job', type, grant_types: ['client_credentials'] }
            : {
                name: 'SPA',
                type,
                grant_types: ['authorization_code'],
                redirect_uris: ['https://spa.example.com/cb'],
              },
        )
        .expect(201);
      return (res.body as { client_id: string }).client_id;
    }
    const grantPath = (clientId: string, resourceId: string) =>
      `/v1/tenants/${fx.tenant.slug}/clients/${clientId}/resources/${resourceId}`;

    it('defines a resource with defaults, names it in Location, and publishes resource.created', async () => {
      const res = await owner()
        .post(base())
        .send({ identifier: 'urn:example:reports', name: 'Reports' })
        .expect(201);
      const body = res.body as ResourceBody;
      expect(body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        identifier: 'urn:example:reports',
        name: 'Reports',
        scopes: [],
        access_token_alg: 'EdDSA',
        access_token_ttl: null,
        subjects: 'both',
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
      expect(res.headers['location']).toBe(`${base()}/${body.id}`);
      expect(await fx.cp.takeEvents()).toEqual([
        expect.objectContaining({
          type: 'resource.created',
          tenant_id: fx.tenant.id,
          data: { resource_id: body.id },
        }),
      ]);
      const fetched = await fx.viewer.get(`${base()}/${body.id}`).expect(200);
      expect(fetched.body).toEqual(body);
    });

    it.each([
      ['a relative identifier', { identifier: '/invoices' }, 'body.identifier'],
      [
        'an identifier with a fragment',
        { identifier: 'https://api.example.com/x#y' },
        'body.identifier',
      ],
      ['an unknown algorithm', { access_token_alg: 'HS256' }, 'body.access_token_alg'],
      ['an OpenID scope name', { scopes: [{ name: 'openid' }] }, 'body.scopes.0.name'],
      [
        'a repeated scope name',
        { scopes: [{ name: 'a:read' }, { name: 'a:read' }] },
        'body.scopes.1.name',
      ],
      ['a ttl below the minimum', { access_token_ttl: 5 }, 'body.access_token_ttl'],
      ['unknown subjects', { subjects: 'robots' }, 'body.subjects'],
      ['an unknown field', { audience: 'x' }, 'body.audience'],
    ])('refuses %s with a 400 naming the field', async (_name, patch, path) => {
      const res = await owner()
        .post(base())
        .send({ ...INVOICES, identifier: 'https://api.example.com/refused', ...patch })
        .expect(400);
      const body = res.body as ProblemBody;
      expect(body.code).toBe('validation_failed');
      expect(body.errors?.map((error) => error.path)).toContain(path);
    });

    it('refuses a second resource with the same identifier in the tenant, not in another', async () => {
      const first = await create();
      const res = await owner()
        .post(base())
        .send({ ...INVOICES, identifier: first.identifier })
        .expect(409);
      expect((res.body as ProblemBody).code).toBe('resource_identifier_taken');
      const other = await fx.cp.createTenant();
      await owner()
        .post(base(other.slug))
        .send({ ...INVOICES, identifier: first.identifier })
        .expect(201);
      const renamed = await create();
      const clash = await owner()
        .patch(`${base()}/${renamed.id}`)
        .send({ identifier: first.identifier })
        .expect(409);
      expect((clash.body as ProblemBody).code).toBe('resource_identifier_taken');
    });

    it('lists page by page, changes and deletes, each with its event', async () => {
      const own = await fx.cp.createTenant();
      const a = await create({}, own.slug);
      const b = await create({}, own.slug);
      await fx.cp.takeEvents();
      const first = await owner()
        .get(`${base(own.slug)}?limit=1`)
        .expect(200);
      const page1 = first.body as { data: ResourceBody[]; next_cursor: string | null };
      expect(page1.data.map((r) => r.id)).toEqual([a.id]);
      expect(page1.next_cursor).not.toBeNull();
      const second = await owner()
        .get(`${base(own.slug)}?limit=1&cursor=${encodeURIComponent(page1.next_cursor!)}`)
        .expect(200);
      expect((second.body as { data: ResourceBody[] }).data.map((r) => r.id)).toEqual([b.id]);

      const changed = await owner()
        .patch(`${base(own.slug)}/${a.id}`)
        .send({
          name: 'Invoices v2',
          access_token_alg: 'RS256',
          access_token_ttl: 600,
          subjects: 'users',
        })
        .expect(200);
      expect(changed.body).toMatchObject({
        name: 'Invoices v2',
        access_token_alg: 'RS256',
        access_token_ttl: 600,
        subjects: 'users',
      });
      const cleared = await owner()
        .patch(`${base(own.slug)}/${a.id}`)
        .send({ access_token_ttl: null })
        .expect(200);
      expect((cleared.body as ResourceBody).access_token_ttl).toBeNull();
      await owner()
        .delete(`${base(own.slug)}/${a.id}`)
        .expect(204);
      await owner()
        .get(`${base(own.slug)}/${a.id}`)
        .expect(404);
      expect((await fx.cp.takeEvents()).map((event) => event.type)).toEqual([
        'resource.updated',
        'resource.updated',
        'resource.deleted',
      ]);
    });

    it("answers 404 for another tenant's resource and for an unknown id", async () => {
      const mine = await create();
      const other = await fx.cp.createTenant();
      const res = await owner()
        .get(`${base(other.slug)}/${mine.id}`)
        .expect(404);
      expect((res.body as ProblemBody).code).toBe('resource_not_found');
      await owner()
        .patch(`${base(other.slug)}/${mine.id}`)
        .send({ name: 'x' })
        .expect(404);
      await owner()
        .delete(`${base(other.slug)}/${mine.id}`)
        .expect(404);
      await owner().get(`${base()}/not-a-uuid`).expect(400);
    });

    it('lets viewers read but not write', async () => {
      const resource = await create();
      await fx.viewer.get(base()).expect(200);
      await fx.viewer.post(base()).send(INVOICES).expect(403);
      await fx.viewer.patch(`${base()}/${resource.id}`).send({ name: 'x' }).expect(403);
      await fx.viewer.delete(`${base()}/${resource.id}`).expect(403);
      await request(fx.cp.app).get(base()).expect(401);
    });

    describe('client grants', () => {
      it('grants a machine client scopes, lists them, prunes undefined scopes and removes the grant', async () => {
        const resource = await create();
        const clientId = await machineClient();
        await fx.cp.takeEvents();
        const put = await owner()
          .put(grantPath(clientId, resource.id))
          .send({ scopes: ['invoices:read', 'invoices:write'] })
          .expect(200);
        expect(put.body).toEqual({
          resource_id: resource.id,
          identifier: resource.identifier,
          client_id: clientId,
          scopes: ['invoices:read', 'invoices:write'],
          created_at: expect.any(String),
          updated_at: expect.any(String),
        });
        expect(await fx.cp.takeEvents()).toEqual([
          expect.objectContaining({ type: 'resource.updated', data: { resource_id: resource.id } }),
        ]);
        // The API drops a scope: no client keeps it.
        await owner()
          .patch(`${base()}/${resource.id}`)
          .send({ scopes: [{ name: 'invoices:read' }] })
          .expect(200);
        const listed = await fx.viewer
          .get(`/v1/tenants/${fx.tenant.slug}/clients/${clientId}/resources`)
          .expect(200);
        expect((listed.body as { data: { scopes: string[] }[] }).data).toEqual([
          expect.objectContaining({ resource_id: resource.id, scopes: ['invoices:read'] }),
        ]);
        await owner().delete(grantPath(clientId, resource.id)).expect(204);
        await owner().delete(grantPath(clientId, resource.id)).expect(404);
      });

      it('refuses scopes the resource does not define, public clients and users-only resources', async () => {
        const resource = await create();
        const clientId = await machineClient();
        const undefinedScope = await owner()
          .put(grantPath(clientId, resource.id))
          .send({ scopes: ['invoices:read', 'invoices:delete'] })
          .expect(400);
        expect((undefinedScope.body as ProblemBody).errors).toEqual([
          { path: 'body.scopes.1', message: 'is not a scope of this API resource' },
        ]);
        const spa = await machineClient('public');
        const publicClient = await owner()
          .put(grantPath(spa, resource.id))
          .send({ scopes: [] })
          .expect(400);
        expect((publicClient.body as ProblemBody).errors?.[0]?.path).toBe('params.client_id');
        const usersOnly = await create({ subjects: 'users' });
        const refused = await owner()
          .put(grantPath(clientId, usersOnly.id))
          .send({ scopes: ['invoices:read'] })
          .expect(400);
        expect((refused.body as ProblemBody).errors?.[0]?.path).toBe('params.id');
        await owner().put(grantPath('hjc_nope', resource.id)).send({ scopes: [] }).expect(404);
        await fx.viewer.put(grantPath(clientId, resource.id)).send({ scopes: [] }).expect(403);
      });

      it('drops grants with their resource or their client', async () => {
        const resource = await create();
        const kept = await create();
        const clientId = await machineClient();
        await owner().put(grantPath(clientId, resource.id)).send({ scopes: [] }).expect(200);
        await owner().put(grantPath(clientId, kept.id)).send({ scopes: [] }).expect(200);
        await owner().delete(`${base()}/${resource.id}`).expect(204);
        expect(await fx.cp.deps.db.apiResources.listGrantsOfClient(clientId)).toEqual([
          expect.objectContaining({ resourceId: kept.id }),
        ]);
        await owner().delete(`/v1/tenants/${fx.tenant.slug}/clients/${clientId}`).expect(204);
        expect(await fx.cp.deps.db.apiResources.listGrantsOfClient(clientId)).toEqual([]);
      });
    });

    it('serves the catalogue with grants to the data plane on the internal token only', async () => {
      const own = await fx.cp.createTenant();
      const resource = await owner()
        .post(base(own.slug))
        .send({ ...INVOICES, access_token_alg: 'ES256', subjects: 'machines' })
        .expect(201);
      const res0 = await owner()
        .post(`/v1/tenants/${own.slug}/clients`)
        .send({ name: 'Job', type: 'confidential', grant_types: ['client_credentials'] })
        .expect(201);
      const clientId = (res0.body as { client_id: string }).client_id;
      const resourceId = (resource.body as ResourceBody).id;
      await owner()
        .put(`/v1/tenants/${own.slug}/clients/${clientId}/resources/${resourceId}`)
        .send({ scopes: ['invoices:read'] })
        .expect(200);
      await owner().get(`/internal/v1/tenants/${own.id}/resources`).expect(401);
      const res = await request(fx.cp.app)
        .get(`/internal/v1/tenants/${own.id}/resources`)
        .set('Authorization', `Bearer ${fx.cp.deps.config.internalToken}`)
        .expect(200);
      expect(res.body).toEqual({
        data: [
          {
            id: resourceId,
            identifier: INVOICES.identifier,
            name: INVOICES.name,
            scopes: INVOICES.scopes,
            access_token_alg: 'ES256',
            access_token_ttl: null,
            subjects: 'machines',
            grants: [{ client_id: clientId, scopes: ['invoices:read'] }],
          },
        ],
      });
    });

    it('stops at the per-tenant limit', async () => {
      const own = await fx.cp.createTenant();
      for (let i = 0; i < 100; i += 1) {
        await fx.cp.deps.modules.resources.service.create(own.slug, {
          identifier: `urn:limit:${i}`,
          name: `API ${i}`,
          scopes: [],
          access_token_alg: 'EdDSA',
          access_token_ttl: null,
          subjects: 'both',
        });
      }
      const res = await owner()
        .post(base(own.slug))
        .send({ identifier: 'urn:limit:100', name: 'One too many' })
        .expect(409);
      expect((res.body as ProblemBody).code).toBe('resource_limit_reached');
    });
  });
}
