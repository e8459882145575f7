import { randomBytes, randomUUID } from 'node:crypto';
import { createEvent } from '@hellojohn/events';
import {
  createPasswordHasher,
  generateSigningKey,
  loadPrivateKey,
  signAccessToken,
} from '@hellojohn/tokens';
import request from 'supertest';
import { OWNER, startCpApp, type CpApp } from './support/cp-app';

const slug = (prefix = 't'): string => `${prefix}-${randomBytes(4).toString('hex')}`;

/** Every control-plane route, role and error code, on the database `databaseUrl()` gives. */
export function controlPlaneSuite(
  name: string,
  database: () => Promise<{ url: string | undefined; drop(): Promise<void> }>,
): void {
  describe(name, () => {
    let cp: CpApp;
    let drop: () => Promise<void>;
    let owner: string;
    let viewer: string;
    const viewerCredentials = { email: 'viewer@example.com', password: 'viewer-password-123' };

    beforeAll(async () => {
      const db = await database();
      drop = () => db.drop();
      cp = await startCpApp(db.url);
      owner = await cp.token();
      await request(cp.app)
        .post('/v1/admins')
        .set('Authorization', `Bearer ${owner}`)
        .send({ ...viewerCredentials, role: 'viewer' })
        .expect(201);
      viewer = await cp.token(viewerCredentials);
      // Migrations, two bcrypt hashes and two sign-ins: seconds on a busy 2-CPU runner.
    }, 30_000);
    afterAll(async () => {
      await cp.close();
      await drop();
    });

    const as = (token: string) => ({
      get: (path: string) => request(cp.app).get(path).set('Authorization', `Bearer ${token}`),
      post: (path: string) => request(cp.app).post(path).set('Authorization', `Bearer ${token}`),
      patch: (path: string) => request(cp.app).patch(path).set('Authorization', `Bearer ${token}`),
      delete: (path: string) =>
        request(cp.app).delete(path).set('Authorization', `Bearer ${token}`),
    });
    const createTenant = async (body: Record<string, unknown> = {}) => {
      const res = await as(owner)
        .post('/v1/tenants')
        .send({ slug: slug(), name: 'Acme', ...body })
        .expect(202);
      return res.body as { id: string; slug: string; status: string; issuer: string };
    };
    const fieldPaths = (body: { errors?: Array<{ path: string }> }) =>
      (body.errors ?? []).map((e) => e.path);

    describe('sign-in', () => {
      it('returns a CP admin token', async () => {
        const res = await request(cp.app).post('/v1/auth/sign-in').send(OWNER).expect(200);
        expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
        expect(res.headers['cache-control']).toBe('no-store');
      });

      it('gives the same 401 for an unknown email and a wrong password', async () => {
        const wrong = await request(cp.app)
          .post('/v1/auth/sign-in')
          .send({ email: OWNER.email, password: 'not-the-password' })
          .expect(401);
        const unknown = await request(cp.app)
          .post('/v1/auth/sign-in')
          .send({ email: 'nobody@example.com', password: 'not-the-password' })
          .expect(401);
        expect(wrong.body.code).toBe('invalid_credentials');
        expect(unknown.body).toEqual({ ...wrong.body, instance: unknown.body.instance });
      });

      it('rejects malformed bodies naming the field', async () => {
        const res = await request(cp.app)
          .post('/v1/auth/sign-in')
          .send({ email: 'x', password: '' })
          .expect(400);
        expect(fieldPaths(res.body).sort()).toEqual(['body.email', 'body.password']);
      });
    });

    describe('authentication and roles', () => {
      it('answers 401 without a token and with a bad one', async () => {
        const none = await request(cp.app).get('/v1/tenants').expect(401);
        expect(none.body.code).toBe('unauthenticated');
        expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
        const bad = await as('not.a.token').get('/v1/tenants').expect(401);
        expect(bad.body.code).toBe('invalid_token');
      });

      it('rejects a token signed by another key or for another audience', async () => {
        const key = await generateSigningKey(Buffer.alloc(32, 1), { aad: (kid) => kid });
        const signing = await loadPrivateKey(Buffer.alloc(32, 1), key, key.kid);
        const admins = await cp.deps.db.admins.findByEmail(OWNER.email);
        for (const audience of ['hellojohn:control-plane', 'https://id.example.com/t/acme']) {
          const { token } = await signAccessToken(signing, {
            issuer: cp.deps.config.cpUrl,
            audience,
            subject: admins?.id ?? 'x',
            tenantId: 'control-plane',
            ttlSeconds: 60,
          });
          await as(token).get('/v1/tenants').expect(401);
        }
      });

      it('lets a viewer read and forbids every write', async () => {
        const tenant = await createTenant();
        await as(viewer).get('/v1/tenants').expect(200);
        await as(viewer).get(`/v1/tenants/${tenant.id}`).expect(200);
        await as(viewer).get('/v1/admins').expect(200);
        await as(viewer).get('/v1/audit-log').expect(200);
        const writes = [
          as(viewer).post('/v1/tenants').send({ slug: slug(), name: 'x' }),
          as(viewer).patch(`/v1/tenants/${tenant.id}`).send({ name: 'y' }),
          as(viewer).delete(`/v1/tenants/${tenant.id}`),
          as(viewer).post(`/v1/tenants/${tenant.id}/keys/rotate`),
          as(viewer)
            .post('/v1/admins')
            .send({ email: 'z@example.com', password: 'a-long-password', role: 'owner' }),
          as(viewer).delete(`/v1/admins/${randomUUID()}`),
        ];
        for (const write of writes) {
          const res = await write;
          expect(res.status).toBe(403);
          expect(res.body.code).toBe('insufficient_role');
        }
      });
    });

    describe('admins', () => {
      it('creates, lists and deletes admins; a deleted admin token stops working', async () => {
        const email = `ops-${randomBytes(3).toString('hex')}@example.com`;
        const created = await as(owner)
          .post('/v1/admins')
          .send({ email: email.toUpperCase(), password: 'a-long-password-1', role: 'owner' })
          .expect(201);
        expect(created.body).toMatchObject({ email, role: 'owner' });
        expect(created.body.password_hash).toBeUndefined();
        const token = await cp.token({ email, password: 'a-long-password-1' });
        await as(token).get('/v1/tenants').expect(200);
        const dup = await as(owner)
          .post('/v1/admins')
          .send({ email, password: 'another-password' })
          .expect(409);
        expect(dup.body.code).toBe('admin_email_taken');
        await as(owner)
          .delete(`/v1/admins/${created.body.id as string}`)
          .expect(204);
        await as(token).get('/v1/tenants').expect(401);
        const gone = await as(owner)
          .delete(`/v1/admins/${created.body.id as string}`)
          .expect(404);
        expect(gone.body.code).toBe('admin_not_found');
      });

      it('validates admin input', async () => {
        const res = await as(owner)
          .post('/v1/admins')
          .send({ email: 'nope', password: 'short', role: 'root', extra: true })
          .expect(400);
        expect(fieldPaths(res.body).sort()).toEqual([
          'body.email',
          'body.extra',
          'body.password',
          'body.role',
        ]);
        await as(owner).delete('/v1/admins/not-a-uuid').expect(400);
      });

      it('paginates admins', async () => {
        const page = await as(owner).get('/v1/admins?limit=1').expect(200);
        expect(page.body.data).toHaveLength(1);
        expect(page.body.next_cursor).toEqual(expect.any(String));
        const next = await as(owner)
          .get(`/v1/admins?limit=1&cursor=${page.body.next_cursor as string}`)
          .expect(200);
        expect(next.body.data[0].id).not.toBe(page.body.data[0].id);
        const bad = await as(owner).get('/v1/admins?cursor=garbage!').expect(400);
        expect(bad.body.code).toBe('invalid_cursor');
      });
    });

    describe('tenants', () => {
      it('creates a tenant in provisioning with its tenant.created event', async () => {
        const tenant = await createTenant({ settings: { sign_up_enabled: false } });
        expect(tenant).toMatchObject({
          status: 'provisioning',
          issuer: `https://id.example.com/t/${tenant.slug}`,
          database: { mode: 'managed', driver: null, dsn: null },
        });
        await cp.flush();
        const event = cp.events.find(
          (e) => e.type === 'tenant.created' && e.tenant_id === tenant.id,
        );
        expect(event?.data).toMatchObject({
          slug: tenant.slug,
          database: { mode: 'managed' },
          settings: { sign_up_enabled: false },
        });
      });

      it('refuses a taken slug with 409 tenant_slug_taken', async () => {
        const tenant = await createTenant();
        const res = await as(owner)
          .post('/v1/tenants')
          .send({ slug: tenant.slug, name: 'Again' })
          .expect(409);
        expect(res.body.code).toBe('tenant_slug_taken');
      });

      it.each([
        [{ slug: 'A', name: 'x' }, ['body.slug']],
        [{ slug: '-abc', name: 'x' }, ['body.slug']],
        [{ slug: randomUUID(), name: 'x' }, ['body.slug']],
        [{ slug: 'okay-slug', name: '' }, ['body.name']],
        [{ slug: 'okay-slug', name: 'x', color: 'red' }, ['body.color']],
        [{ slug: 'okay-slug', name: 'x', settings: { nope: 1 } }, ['body.settings.nope']],
        [
          { slug: 'okay-slug', name: 'x', settings: { access_token_ttl: 5 } },
          ['body.settings.access_token_ttl'],
        ],
        [
          {
            slug: 'okay-slug',
            name: 'x',
            settings: { password_policy: { min_length: 40, max_length: 20 } },
          },
          ['body.settings.password_policy.min_length'],
        ],
        [
          {
            slug: 'okay-slug',
            name: 'x',
            database: { mode: 'external', driver: 'oracle', dsn: 'x' },
          },
          ['body.database.driver', 'body.database.dsn'],
        ],
        [{ slug: 'okay-slug', name: 'x', database: { mode: 'cloud' } }, ['body.database.mode']],
      ])('rejects %j naming %j', async (body, paths) => {
        const res = await as(owner).post('/v1/tenants').send(body).expect(400);
        expect(res.body.code).toBe('validation_failed');
        expect(fieldPaths(res.body).sort()).toEqual(paths);
      });

      it('stores an external DSN encrypted and never returns its password', async () => {
        const dsn = 'postgres://app:s3cret-pw@db.internal:5432/acme';
        const tenant = await createTenant({ database: { mode: 'external', driver: 'pg', dsn } });
        const res = await as(owner).get(`/v1/tenants/${tenant.slug}`).expect(200);
        expect(res.body.database).toEqual({
          mode: 'external',
          driver: 'pg',
          dsn: 'postgres://app:***@db.internal:5432/acme',
        });
        const row = await cp.deps.db.tenants.findById(tenant.id);
        expect(row?.databaseDsnEncrypted).toMatch(/^v1\./);
        expect(row?.databaseDsnEncrypted).not.toContain('s3cret');
        await cp.flush();
        const event = cp.events.find((e) => e.tenant_id === tenant.id);
        expect(JSON.stringify(event)).not.toContain('s3cret');
      });

      it('gets by id or slug and answers 404 for unknown tenants', async () => {
        const tenant = await createTenant();
        const byId = await as(owner).get(`/v1/tenants/${tenant.id}`).expect(200);
        const bySlug = await as(owner).get(`/v1/tenants/${tenant.slug}`).expect(200);
        expect(byId.body).toEqual(bySlug.body);
        const missing = await as(owner).get('/v1/tenants/no-such-tenant').expect(404);
        expect(missing.body.code).toBe('tenant_not_found');
      });

      it('lists with cursor pagination and a status filter', async () => {
        const made = [await createTenant(), await createTenant(), await createTenant()];
        await cp.deps.modules.tenants.service.applyProvisioningResult(
          createEvent('tenant.provisioned', made[0]!.id, {
            slug: made[0]!.slug,
            database_created: true,
            signing_key_kid: 'k',
          }),
        );
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const res = await as(owner)
            .get(`/v1/tenants?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
            .expect(200);
          expect(res.body.data.length).toBeLessThanOrEqual(2);
          seen.push(...(res.body.data as Array<{ id: string }>).map((t) => t.id));
          cursor = res.body.next_cursor as string | null;
        } while (cursor);
        expect(new Set(seen).size).toBe(seen.length);
        for (const tenant of made) expect(seen).toContain(tenant.id);
        const active = await as(owner).get('/v1/tenants?status=active&limit=100').expect(200);
        const ids = (active.body.data as Array<{ id: string; status: string }>).map((t) => t.id);
        expect(ids).toContain(made[0]!.id);
        expect(ids).not.toContain(made[1]!.id);
        await as(owner).get('/v1/tenants?status=sleeping').expect(400);
        await as(owner).get('/v1/tenants?limit=0').expect(400);
      });

      it('moves to active or failed when the data plane answers, idempotently', async () => {
        const ok = await createTenant();
        const bad = await createTenant();
        const provisioned = createEvent('tenant.provisioned', ok.id, {
          slug: ok.slug,
          database_created: true,
          signing_key_kid: 'k',
        });
        await cp.deps.modules.tenants.service.applyProvisioningResult(provisioned);
        await cp.deps.modules.tenants.service.applyProvisioningResult(provisioned);
        await cp.deps.modules.tenants.service.applyProvisioningResult(
          createEvent('tenant.provisioning_failed', bad.id, {
            slug: bad.slug,
            reason: 'database server refused',
            attempts: 5,
          }),
        );
        expect((await as(owner).get(`/v1/tenants/${ok.id}`)).body.status).toBe('active');
        expect((await as(owner).get(`/v1/tenants/${bad.id}`)).body).toMatchObject({
          status: 'failed',
          status_reason: 'database server refused',
        });
      });

      it('updates name and settings and publishes tenant.updated', async () => {
        const tenant = await createTenant();
        const res = await as(owner)
          .patch(`/v1/tenants/${tenant.id}`)
          .send({ name: 'Acme Corp', settings: { access_token_ttl: 600 } })
          .expect(200);
        expect(res.body).toMatchObject({ name: 'Acme Corp', settings: { access_token_ttl: 600 } });
        await cp.flush();
        const event = cp.events.find(
          (e) => e.type === 'tenant.updated' && e.tenant_id === tenant.id,
        );
        expect(event?.data).toEqual({ slug: tenant.slug, changes: ['name', 'settings'] });
        const empty = await as(owner).patch(`/v1/tenants/${tenant.id}`).send({}).expect(400);
        expect(empty.body.code).toBe('validation_failed');
        await as(owner).patch(`/v1/tenants/${tenant.id}`).send({ slug: 'renamed' }).expect(400);
        await as(owner).patch('/v1/tenants/no-such-tenant').send({ name: 'x' }).expect(404);
      });

      it('deletes in two steps: deleting, then gone once deprovisioned', async () => {
        const tenant = await createTenant();
        const res = await as(owner).delete(`/v1/tenants/${tenant.id}`).expect(202);
        expect(res.body.status).toBe('deleting');
        await cp.flush();
        const event = cp.events.find(
          (e) => e.type === 'tenant.deleted' && e.tenant_id === tenant.id,
        );
        expect(event?.data).toEqual({ slug: tenant.slug, drop_database: true });
        const late = await as(owner)
          .patch(`/v1/tenants/${tenant.id}`)
          .send({ name: 'x' })
          .expect(409);
        expect(late.body.code).toBe('tenant_not_ready');
        await cp.deps.modules.tenants.service.applyProvisioningResult(
          createEvent('tenant.deprovisioned', tenant.id, { slug: tenant.slug }),
        );
        await as(owner).get(`/v1/tenants/${tenant.id}`).expect(404);
      });

      it('requests key rotation for active tenants only', async () => {
        const tenant = await createTenant();
        const early = await as(owner).post(`/v1/tenants/${tenant.id}/keys/rotate`).expect(409);
        expect(early.body.code).toBe('tenant_not_ready');
        await cp.deps.modules.tenants.service.applyProvisioningResult(
          createEvent('tenant.provisioned', tenant.id, {
            slug: tenant.slug,
            database_created: true,
            signing_key_kid: 'k',
          }),
        );
        const res = await as(owner).post(`/v1/tenants/${tenant.slug}/keys/rotate`).expect(202);
        expect(res.body).toEqual({ tenant_id: tenant.id, status: 'rotation_requested' });
        await cp.flush();
        const event = cp.events.find(
          (e) => e.type === 'tenant.keys.rotation_requested' && e.tenant_id === tenant.id,
        );
        expect(event?.data).toEqual({ slug: tenant.slug, requested_by: OWNER.email });
      });
    });

    describe('audit log', () => {
      it('records every write with actor, target, request id and outcome', async () => {
        const tenant = await createTenant();
        await as(viewer)
          .delete(`/v1/tenants/${tenant.id}`)
          .set('X-Request-Id', 'audit-req-1')
          .expect(403);
        await new Promise((resolve) => setTimeout(resolve, 50));
        const created = await as(owner)
          .get(`/v1/audit-log?action=tenant.created&target=${tenant.id}`)
          .expect(200);
        expect(created.body.data[0]).toMatchObject({
          actor: OWNER.email,
          action: 'tenant.created',
          target: tenant.id,
          outcome: 'success',
        });
        const denied = await as(owner)
          .get(`/v1/audit-log?action=tenant.deleted&target=${tenant.id}`)
          .expect(200);
        expect(denied.body.data[0]).toMatchObject({
          actor: viewerCredentials.email,
          outcome: 'failure',
          request_id: 'audit-req-1',
          details: { status: 403, method: 'DELETE' },
        });
        const signIns = await as(owner)
          .get(
            `/v1/audit-log?action=admin.signed_in&actor=${encodeURIComponent(OWNER.email)}&limit=1`,
          )
          .expect(200);
        expect(signIns.body.data).toHaveLength(1);
      });
    });

    describe('internal API', () => {
      it('answers only the internal token, with the decrypted DSN', async () => {
        const dsn = 'mysql://app:pw-123@db.internal:3306/acme';
        const tenant = await createTenant({ database: { mode: 'external', driver: 'mysql', dsn } });
        const denied = await as(owner).get(`/internal/v1/tenants/${tenant.id}`).expect(401);
        expect(denied.body.code).toBe('invalid_token');
        const res = await as(cp.deps.config.internalToken)
          .get(`/internal/v1/tenants/${tenant.slug}`)
          .expect(200);
        expect(res.body).toMatchObject({
          id: tenant.id,
          database: { mode: 'external', driver: 'mysql', url: dsn },
        });
        const list = await as(cp.deps.config.internalToken)
          .get('/internal/v1/tenants?limit=100')
          .expect(200);
        expect((list.body.data as Array<{ id: string }>).map((t) => t.id)).toContain(tenant.id);
      });
    });

    describe('HTTP conventions', () => {
      it('answers 413 for oversized bodies and 415 for other media types', async () => {
        const big = await as(owner)
          .post('/v1/tenants')
          .send({ slug: 'big-one', name: 'x'.repeat(200_000) })
          .expect(413);
        expect(big.body.code).toBe('payload_too_large');
        const text = await as(owner)
          .post('/v1/tenants')
          .set('Content-Type', 'text/plain')
          .send('slug=x')
          .expect(415);
        expect(text.body.code).toBe('unsupported_media_type');
      });

      it('documents every public route in OpenAPI, and no internal one', async () => {
        const doc = await request(cp.app).get('/openapi.json').expect(200);
        const paths = doc.body.paths as Record<
          string,
          Record<string, { responses: object; requestBody?: object }>
        >;
        const expected = [
          ['post', '/v1/auth/sign-in'],
          ['get', '/v1/admins'],
          ['post', '/v1/admins'],
          ['delete', '/v1/admins/{id}'],
          ['get', '/v1/tenants'],
          ['post', '/v1/tenants'],
          ['get', '/v1/tenants/{tenant}'],
          ['patch', '/v1/tenants/{tenant}'],
          ['delete', '/v1/tenants/{tenant}'],
          ['post', '/v1/tenants/{tenant}/keys/rotate'],
          ['get', '/v1/audit-log'],
        ];
        for (const [method, path] of expected) {
          expect(paths[path!]?.[method!]).toBeDefined();
        }
        expect(paths['/v1/tenants']!.post!.requestBody).toBeDefined();
        expect(Object.keys(paths).filter((p) => p.startsWith('/internal'))).toEqual([]);
        await request(cp.app).get('/docs/').expect(200);
      });

      it('serves its JWKS, health and metrics', async () => {
        const jwks = await request(cp.app).get('/.well-known/jwks.json').expect(200);
        expect(jwks.body.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' });
        expect(jwks.body.keys[0].d).toBeUndefined();
        await request(cp.app).get('/healthz').expect(200);
        await request(cp.app).get('/readyz').expect(200);
        const metrics = await request(cp.app).get('/metrics').expect(200);
        expect(metrics.text).toContain('http_requests_total');
      });
    });
  });

  describe(`${name}: the last owner`, () => {
    it('can never be deleted, even by concurrent requests', async () => {
      const db = await database();
      const cp = await startCpApp(db.url);
      try {
        const hasher = createPasswordHasher(4);
        const second = await cp.deps.db.admins.create({
          id: randomUUID(),
          email: 'second@example.com',
          passwordHash: await hasher.hash('second-password-1'),
          role: 'owner',
        });
        const first = await cp.deps.db.admins.findByEmail(OWNER.email);
        const token = await cp.token();
        const results = await Promise.all(
          [first!.id, second.id].map((id) =>
            request(cp.app).delete(`/v1/admins/${id}`).set('Authorization', `Bearer ${token}`),
          ),
        );
        const statuses = results.map((r) => r.status).sort();
        // One delete wins; the other meets the last owner (or an already-deleted token holder).
        expect(statuses[0]).toBe(204);
        expect(statuses[1]).not.toBe(204);
        expect(await cp.deps.db.admins.count()).toBe(1);
      } finally {
        await cp.close();
        await db.drop();
      }
    });
  });
}
