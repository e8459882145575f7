import { randomUUID } from 'node:crypto';
import type { TenantRow } from '@hellojohn/dal';
import { eventually } from '@hellojohn/testing';
import { sha256Hex } from '@hellojohn/tokens';
import request from 'supertest';
import { OWNER, startCpApp, type CpApp } from './support/cp-app';
import type { DatabaseSetup } from './support/cp-databases';

interface KeyBody {
  id: string;
  key: string;
  name: string;
  role: string;
  tenants: '*' | string[];
  last4: string;
  last_used_at: string | null;
  previous_expires_at: string | null;
}

interface TokenBody {
  access_token: string;
  refresh_token: string;
}

/**
 * Operator access on the control plane (issue 19): API keys, grants scoped to tenants, admin
 * sessions that refresh and end, disable/enable, and the internal checks the data plane uses.
 */
export function operatorsSuite(engine: string, setup: DatabaseSetup): void {
  describe(`operator access on the control plane (${engine})`, () => {
    let cp: CpApp;
    let cleanup: () => Promise<void>;
    let owner: string;
    let tenantA: TenantRow;
    let tenantB: TenantRow;

    const bearer = (token: string): string => `Bearer ${token}`;
    const internal = (): string => bearer(cp.deps.config.internalToken);

    async function createKey(body: object): Promise<KeyBody> {
      const res = await request(cp.app)
        .post('/v1/api-keys')
        .set('Authorization', bearer(owner))
        .send({ name: `key-${randomUUID().slice(0, 6)}`, ...body })
        .expect(201);
      return res.body as KeyBody;
    }

    async function createAdmin(body: object): Promise<{ id: string; email: string }> {
      const email = `op-${randomUUID().slice(0, 8)}@example.com`;
      const res = await request(cp.app)
        .post('/v1/admins')
        .set('Authorization', bearer(owner))
        .send({ email, password: 'operator-password-1', ...body })
        .expect(201);
      return res.body as { id: string; email: string };
    }

    async function signIn(email: string, password = 'operator-password-1'): Promise<TokenBody> {
      const res = await request(cp.app)
        .post('/v1/auth/sign-in')
        .send({ email, password })
        .expect(200);
      return res.body as TokenBody;
    }

    beforeAll(async () => {
      const db = await setup();
      cleanup = db.cleanup;
      cp = await startCpApp(db.databaseUrl, { manualRelay: true });
      owner = (await signIn(OWNER.email, OWNER.password)).access_token;
      tenantA = await cp.createTenant();
      tenantB = await cp.createTenant();
    });
    afterAll(async () => {
      await cp.close();
      await cleanup();
    });

    describe('API keys', () => {
      it('shows a key once, stores only its hash, and lists keys without secrets', async () => {
        const created = await createKey({ role: 'viewer' });
        expect(created.key).toMatch(/^hjk_[A-Za-z0-9_-]{43}$/);
        expect(created.last4).toBe(created.key.slice(-4));
        expect(created.tenants).toBe('*');
        const row = await cp.deps.db.apiKeys.findById(created.id);
        expect(row?.keyHash).toBe(sha256Hex(created.key));
        expect(JSON.stringify(row)).not.toContain(created.key);

        const list = await request(cp.app)
          .get('/v1/api-keys')
          .set('Authorization', bearer(owner))
          .expect(200);
        const listed = (list.body as { data: Array<Record<string, unknown>> }).data;
        const mine = listed.find((key) => key['id'] === created.id);
        expect(mine).toMatchObject({ id: created.id, role: 'viewer', last4: created.last4 });
        expect(mine).not.toHaveProperty('key');
        expect(JSON.stringify(list.body)).not.toContain(created.key);
      });

      it('validates the body, naming the field', async () => {
        for (const [body, field] of [
          [{ name: 'x', role: 'root' }, 'body.role'],
          [{ name: '', role: 'viewer' }, 'body.name'],
          [{ name: 'x', role: 'viewer', expires_at: '2000-01-01T00:00:00Z' }, 'body.expires_at'],
          [{ name: 'x', role: 'viewer', tenants: ['no-such-tenant'] }, 'body.tenants.0'],
          [{ name: 'x', role: 'viewer', secret: 'x' }, 'body'],
        ] as const) {
          const res = await request(cp.app)
            .post('/v1/api-keys')
            .set('Authorization', bearer(owner))
            .send(body)
            .expect(400);
          const paths = (res.body as { errors: Array<{ path: string }> }).errors.map((e) => e.path);
          expect(paths.some((path) => path.startsWith(field))).toBe(true);
        }
      });

      it('is a bearer per role: viewer reads, admin manages tenants, owner manages operators', async () => {
        const viewer = await createKey({ role: 'viewer' });
        const admin = await createKey({ role: 'admin' });
        const keyOwner = await createKey({ role: 'owner' });
        const as = (key: KeyBody) => bearer(key.key);

        await request(cp.app).get('/v1/tenants').set('Authorization', as(viewer)).expect(200);
        await request(cp.app)
          .patch(`/v1/tenants/${tenantA.slug}`)
          .set('Authorization', as(viewer))
          .send({ name: 'Renamed by viewer' })
          .expect(403);
        await request(cp.app)
          .patch(`/v1/tenants/${tenantA.slug}`)
          .set('Authorization', as(admin))
          .send({ name: 'Renamed by admin key' })
          .expect(200);
        for (const key of [viewer, admin]) {
          await request(cp.app).get('/v1/api-keys').set('Authorization', as(key)).expect(403);
          await request(cp.app)
            .post('/v1/admins')
            .set('Authorization', as(key))
            .send({ email: 'x@example.com', password: 'operator-password-1' })
            .expect(403);
        }
        await request(cp.app).get('/v1/api-keys').set('Authorization', as(keyOwner)).expect(200);

        // The audit log names the key.
        const audit = await request(cp.app)
          .get('/v1/audit-log')
          .query({ actor: `api_key:${admin.id}` })
          .set('Authorization', bearer(owner))
          .expect(200);
        const entries = (audit.body as { data: Array<{ action: string; outcome: string }> }).data;
        expect(entries).toContainEqual(
          expect.objectContaining({ action: 'tenant.updated', outcome: 'success' }),
        );
      });

      it('refuses a revoked key at once and tells the data plane', async () => {
        const key = await createKey({ role: 'viewer' });
        await request(cp.app).get('/v1/tenants').set('Authorization', bearer(key.key)).expect(200);
        await request(cp.app)
          .delete(`/v1/api-keys/${key.id}`)
          .set('Authorization', bearer(owner))
          .expect(204);
        const refused = await request(cp.app)
          .get('/v1/tenants')
          .set('Authorization', bearer(key.key))
          .expect(401);
        expect(refused.body).toMatchObject({ code: 'invalid_token' });
        await request(cp.app)
          .delete(`/v1/api-keys/${key.id}`)
          .set('Authorization', bearer(owner))
          .expect(404);
        const events = await cp.takeEvents();
        expect(events).toContainEqual(
          expect.objectContaining({ type: 'api_key.revoked', data: { api_key_id: key.id } }),
        );
      });

      it('rotates with an overlap: both keys work, then only the new one', async () => {
        const key = await createKey({ role: 'viewer' });
        const res = await request(cp.app)
          .post(`/v1/api-keys/${key.id}/rotate`)
          .set('Authorization', bearer(owner))
          .send({ overlap_seconds: 3600 })
          .expect(200);
        const rotated = res.body as KeyBody;
        expect(rotated.id).toBe(key.id);
        expect(rotated.key).not.toBe(key.key);
        expect(rotated.previous_expires_at).not.toBeNull();
        for (const secret of [key.key, rotated.key]) {
          await request(cp.app).get('/v1/tenants').set('Authorization', bearer(secret)).expect(200);
        }
        // The overlap ends (moved into the past rather than waited for).
        const row = await cp.deps.db.apiKeys.findById(key.id);
        expect(row?.previousKeyHash).toBe(sha256Hex(key.key));
        await cp.deps.db.apiKeys.rotate(key.id, {
          keyHash: sha256Hex(rotated.key),
          last4: rotated.last4,
          previousExpiresAt: new Date(Date.now() - 1000),
        });
        await request(cp.app).get('/v1/tenants').set('Authorization', bearer(key.key)).expect(401);
        await request(cp.app)
          .get('/v1/tenants')
          .set('Authorization', bearer(rotated.key))
          .expect(200);
      });

      it('rotates without an overlap: the old key stops at once', async () => {
        const key = await createKey({ role: 'viewer' });
        const res = await request(cp.app)
          .post(`/v1/api-keys/${key.id}/rotate`)
          .set('Authorization', bearer(owner))
          .send({ overlap_seconds: 0 })
          .expect(200);
        await request(cp.app).get('/v1/tenants').set('Authorization', bearer(key.key)).expect(401);
        await request(cp.app)
          .get('/v1/tenants')
          .set('Authorization', bearer((res.body as KeyBody).key))
          .expect(200);
      });

      it('refuses a key once it expires', async () => {
        const key = await createKey({
          role: 'viewer',
          expires_at: new Date(Date.now() + 1500).toISOString(),
        });
        await request(cp.app).get('/v1/tenants').set('Authorization', bearer(key.key)).expect(200);
        await eventually(async () => {
          await request(cp.app)
            .get('/v1/tenants')
            .set('Authorization', bearer(key.key))
            .expect(401);
        });
      });

      it('records the last use at most once a minute per key', async () => {
        const key = await createKey({ role: 'viewer' });
        expect(key.last_used_at).toBeNull();
        await request(cp.app).get('/v1/tenants').set('Authorization', bearer(key.key)).expect(200);
        const first = await cp.deps.db.apiKeys.findById(key.id);
        expect(first?.lastUsedAt).not.toBeNull();
        expect(first?.lastUsedIp).toBeTruthy();
        await request(cp.app).get('/v1/tenants').set('Authorization', bearer(key.key)).expect(200);
        const second = await cp.deps.db.apiKeys.findById(key.id);
        expect(second?.lastUsedAt?.getTime()).toBe(first?.lastUsedAt?.getTime());
      });

      it('answers the data plane through the internal API only', async () => {
        const key = await createKey({ role: 'admin', tenants: [tenantA.slug] });
        const res = await request(cp.app)
          .post('/internal/v1/api-keys/verify')
          .set('Authorization', internal())
          .send({ key: key.key, ip: '10.0.0.7' })
          .expect(200);
        expect(res.body).toEqual({
          id: key.id,
          role: 'admin',
          tenants: [tenantA.id],
          valid_until: null,
        });
        await request(cp.app)
          .post('/internal/v1/api-keys/verify')
          .set('Authorization', bearer(owner))
          .send({ key: key.key })
          .expect(401);
        await request(cp.app)
          .post('/internal/v1/api-keys/verify')
          .set('Authorization', internal())
          .send({ key: `hjk_${'A'.repeat(43)}` })
          .expect(404);
      });
    });

    describe('grants scoped to tenants', () => {
      it('a scoped key sees and touches only its tenants; others are 404', async () => {
        const key = await createKey({ role: 'admin', tenants: [tenantA.slug] });
        expect(key.tenants).toEqual([tenantA.id]);
        const as = bearer(key.key);
        const list = await request(cp.app).get('/v1/tenants').set('Authorization', as).expect(200);
        expect((list.body as { data: Array<{ id: string }> }).data.map((t) => t.id)).toEqual([
          tenantA.id,
        ]);
        await request(cp.app).get(`/v1/tenants/${tenantA.id}`).set('Authorization', as).expect(200);
        for (const ref of [tenantB.id, tenantB.slug, 'no-such-tenant']) {
          const res = await request(cp.app)
            .get(`/v1/tenants/${ref}`)
            .set('Authorization', as)
            .expect(404);
          expect(res.body).toMatchObject({ code: 'tenant_not_found' });
          await request(cp.app)
            .get(`/v1/tenants/${ref}/clients`)
            .set('Authorization', as)
            .expect(404);
          await request(cp.app)
            .patch(`/v1/tenants/${ref}`)
            .set('Authorization', as)
            .send({ name: 'nope' })
            .expect(404);
        }
        await request(cp.app)
          .get(`/v1/tenants/${tenantA.slug}/clients`)
          .set('Authorization', as)
          .expect(200);
        // Platform-wide routes need a grant on every tenant.
        await request(cp.app)
          .post('/v1/tenants')
          .set('Authorization', as)
          .send({ slug: `s-${randomUUID().slice(0, 6)}`, name: 'S' })
          .expect(403);
        await request(cp.app).get('/v1/audit-log').set('Authorization', as).expect(403);
        await request(cp.app).get('/v1/admins').set('Authorization', as).expect(403);
      });

      it('a scoped admin (signed in) sees only its tenants, and a changed grant applies at once', async () => {
        const admin = await createAdmin({ role: 'viewer', tenants: [tenantB.id] });
        const { access_token: token } = await signIn(admin.email);
        const list = await request(cp.app)
          .get('/v1/tenants')
          .set('Authorization', bearer(token))
          .expect(200);
        expect((list.body as { data: Array<{ id: string }> }).data.map((t) => t.id)).toEqual([
          tenantB.id,
        ]);
        await request(cp.app)
          .get(`/v1/tenants/${tenantA.slug}`)
          .set('Authorization', bearer(token))
          .expect(404);

        const patched = await request(cp.app)
          .patch(`/v1/admins/${admin.id}`)
          .set('Authorization', bearer(owner))
          .send({ tenants: [tenantA.slug] })
          .expect(200);
        expect(patched.body).toMatchObject({ tenants: [tenantA.id], disabled: false });
        await request(cp.app)
          .get(`/v1/tenants/${tenantA.slug}`)
          .set('Authorization', bearer(token))
          .expect(200);
        await request(cp.app)
          .get(`/v1/tenants/${tenantB.slug}`)
          .set('Authorization', bearer(token))
          .expect(404);
        const events = await cp.takeEvents();
        expect(events).toContainEqual(
          expect.objectContaining({
            type: 'admin.revoked',
            data: expect.objectContaining({ admin_id: admin.id }) as unknown,
          }),
        );
      });
    });

    describe('admin sessions', () => {
      it('refreshes with rotation; a reused refresh token ends the session everywhere', async () => {
        const admin = await createAdmin({ role: 'viewer' });
        const first = await signIn(admin.email);
        expect(first.refresh_token).toMatch(/^hjrt_/);
        const res = await request(cp.app)
          .post('/v1/auth/refresh')
          .send({ refresh_token: first.refresh_token })
          .expect(200);
        const second = res.body as TokenBody;
        expect(second.refresh_token).not.toBe(first.refresh_token);
        await request(cp.app)
          .get('/v1/tenants')
          .set('Authorization', bearer(second.access_token))
          .expect(200);

        const reused = await request(cp.app)
          .post('/v1/auth/refresh')
          .send({ refresh_token: first.refresh_token })
          .expect(401);
        expect(reused.body).toMatchObject({ code: 'refresh_token_reused' });
        // The whole session ended: its access token and its live refresh token.
        await request(cp.app)
          .get('/v1/tenants')
          .set('Authorization', bearer(second.access_token))
          .expect(401);
        const dead = await request(cp.app)
          .post('/v1/auth/refresh')
          .send({ refresh_token: second.refresh_token })
          .expect(401);
        expect(dead.body).toMatchObject({ code: 'refresh_token_invalid' });
        const events = await cp.takeEvents();
        expect(events).toContainEqual(
          expect.objectContaining({
            type: 'admin.revoked',
            data: expect.objectContaining({
              admin_id: admin.id,
              session_id: expect.any(String),
            }) as unknown,
          }),
        );
      });

      it('signs out with the bearer token or the refresh token', async () => {
        const admin = await createAdmin({ role: 'viewer' });
        const one = await signIn(admin.email);
        const two = await signIn(admin.email);
        await request(cp.app)
          .post('/v1/auth/sign-out')
          .set('Authorization', bearer(one.access_token))
          .expect(204);
        await request(cp.app)
          .get('/v1/tenants')
          .set('Authorization', bearer(one.access_token))
          .expect(401);
        await request(cp.app)
          .post('/v1/auth/refresh')
          .send({ refresh_token: one.refresh_token })
          .expect(401);
        // The other session lives on until it is ended too.
        await request(cp.app)
          .get('/v1/tenants')
          .set('Authorization', bearer(two.access_token))
          .expect(200);
        await request(cp.app)
          .post('/v1/auth/sign-out')
          .send({ refresh_token: two.refresh_token })
          .expect(204);
        await request(cp.app)
          .get('/v1/tenants')
          .set('Authorization', bearer(two.access_token))
          .expect(401);
        await request(cp.app).post('/v1/auth/sign-out').expect(401);
      });
    });

    describe('disable, enable, delete', () => {
      it('a disabled admin is refused at once and cannot sign in; enabled again, it can', async () => {
        const admin = await createAdmin({ role: 'admin' });
        const { access_token: token } = await signIn(admin.email);
        await request(cp.app)
          .patch(`/v1/admins/${admin.id}`)
          .set('Authorization', bearer(owner))
          .send({ disabled: true })
          .expect(200);
        await request(cp.app).get('/v1/tenants').set('Authorization', bearer(token)).expect(401);
        await request(cp.app)
          .post('/v1/auth/sign-in')
          .send({ email: admin.email, password: 'operator-password-1' })
          .expect(401);
        await request(cp.app)
          .patch(`/v1/admins/${admin.id}`)
          .set('Authorization', bearer(owner))
          .send({ disabled: false })
          .expect(200);
        await signIn(admin.email);
      });

      it('never disables, demotes, scopes or deletes the last enabled global owner', async () => {
        const owners = await request(cp.app)
          .get('/v1/admins')
          .set('Authorization', bearer(owner))
          .expect(200);
        const me = (owners.body as { data: Array<{ id: string; email: string }> }).data.find(
          (a) => a.email === OWNER.email,
        );
        if (!me) throw new Error('bootstrap owner missing');
        for (const body of [{ disabled: true }, { role: 'admin' }, { tenants: [tenantA.id] }]) {
          const res = await request(cp.app)
            .patch(`/v1/admins/${me.id}`)
            .set('Authorization', bearer(owner))
            .send(body)
            .expect(409);
          expect(res.body).toMatchObject({ code: 'last_admin' });
        }
        await request(cp.app)
          .delete(`/v1/admins/${me.id}`)
          .set('Authorization', bearer(owner))
          .expect(409);
      });

      it('a deleted admin is revoked for the data plane, which reloads revocations', async () => {
        const admin = await createAdmin({ role: 'viewer' });
        const since = new Date(Date.now() - 1000).toISOString();
        await request(cp.app)
          .delete(`/v1/admins/${admin.id}`)
          .set('Authorization', bearer(owner))
          .expect(204);
        const res = await request(cp.app)
          .get('/internal/v1/admin-revocations')
          .query({ since })
          .set('Authorization', internal())
          .expect(200);
        expect((res.body as { data: Array<{ admin_id: string }> }).data).toContainEqual(
          expect.objectContaining({ admin_id: admin.id, session_id: null }),
        );
        const events = await cp.takeEvents();
        expect(events.map((e) => e.type)).toContain('admin.revoked');
      });
    });
    describe('every route, per role and grant', () => {
      type Role = 'owner' | 'admin' | 'viewer';
      const RANK: Record<Role, number> = { viewer: 1, admin: 2, owner: 3 };
      const id = randomUUID();
      // [method, path ({t}: the tenant), role needed, global?, body?]; DELETE of the tenant last.
      const ROUTES: Array<[string, string, Role, boolean, object?]> = [
        ['get', '/v1/admins', 'viewer', true],
        ['post', '/v1/admins', 'owner', true, {}],
        ['patch', `/v1/admins/${id}`, 'owner', true, { disabled: false }],
        ['delete', `/v1/admins/${id}`, 'owner', true],
        ['get', '/v1/api-keys', 'owner', true],
        ['post', '/v1/api-keys', 'owner', true, {}],
        ['delete', `/v1/api-keys/${id}`, 'owner', true],
        ['post', `/v1/api-keys/${id}/rotate`, 'owner', true, {}],
        ['get', '/v1/audit-log', 'viewer', true],
        ['post', '/v1/tenants', 'admin', true, {}],
        ['get', '/v1/tenants/{t}', 'viewer', false],
        ['patch', '/v1/tenants/{t}', 'admin', false, {}],
        ['post', '/v1/tenants/{t}/keys/rotate', 'admin', false],
        ['get', '/v1/tenants/{t}/clients', 'viewer', false],
        ['post', '/v1/tenants/{t}/clients', 'admin', false, {}],
        ['get', '/v1/tenants/{t}/clients/nope', 'viewer', false],
        ['patch', '/v1/tenants/{t}/clients/nope', 'admin', false, {}],
        ['delete', '/v1/tenants/{t}/clients/nope', 'admin', false],
        ['post', '/v1/tenants/{t}/clients/nope/secret', 'admin', false],
        ['get', '/v1/tenants/{t}/clients/nope/resources', 'viewer', false],
        ['put', `/v1/tenants/{t}/clients/nope/resources/${id}`, 'admin', false, {}],
        ['delete', `/v1/tenants/{t}/clients/nope/resources/${id}`, 'admin', false],
        ['get', '/v1/tenants/{t}/resources', 'viewer', false],
        ['post', '/v1/tenants/{t}/resources', 'admin', false, {}],
        ['get', `/v1/tenants/{t}/resources/${id}`, 'viewer', false],
        ['patch', `/v1/tenants/{t}/resources/${id}`, 'admin', false, {}],
        ['delete', `/v1/tenants/{t}/resources/${id}`, 'admin', false],
        ['delete', '/v1/tenants/{t}', 'owner', false],
      ];

      it.each<[Role, 'API key' | 'admin', 'every tenant' | 'one tenant']>(
        (['viewer', 'admin', 'owner'] as const).flatMap((role) =>
          (['API key', 'admin'] as const).flatMap((kind) =>
            (['every tenant', 'one tenant'] as const).map(
              (scope) => [role, kind, scope] as [Role, 'API key' | 'admin', typeof scope],
            ),
          ),
        ),
      )('a %s %s on %s', async (role, kind, scope) => {
        const mine = await cp.createTenant();
        const other = await cp.createTenant();
        const tenants = scope === 'every tenant' ? undefined : [mine.id];
        let token: string;
        let adminId: string | undefined;
        if (kind === 'API key') {
          token = (await createKey({ role, ...(tenants ? { tenants } : {}) })).key;
        } else {
          const admin = await createAdmin({ role, ...(tenants ? { tenants } : {}) });
          adminId = admin.id;
          token = (await signIn(admin.email)).access_token;
        }
        for (const [method, path, needed, global, body] of ROUTES) {
          for (const tenant of path.includes('{t}') ? [other, mine] : [mine]) {
            const url = path.replace('{t}', tenant.slug);
            const pending = (
              request(cp.app) as unknown as Record<string, (url: string) => request.Test>
            )[method]?.(url);
            if (!pending) throw new Error(`no method ${method}`);
            const res = await pending.set('Authorization', bearer(token)).send(body);
            const answer = `${method} ${url} -> ${String(res.status)} ${String(res.body.code)}`;
            if (tenants && path.includes('{t}') && tenant === other) {
              expect(answer).toBe(`${method} ${url} -> 404 tenant_not_found`);
            } else if (RANK[role] < RANK[needed] || (global && tenants)) {
              expect(answer).toBe(`${method} ${url} -> 403 insufficient_role`);
            } else {
              expect([401, 403]).not.toContain(res.status);
              expect(res.body.code).not.toBe('tenant_not_found');
            }
          }
        }
        // Other tests count the owners of every tenant.
        if (adminId) {
          await request(cp.app)
            .delete(`/v1/admins/${adminId}`)
            .set('Authorization', bearer(owner))
            .expect(204);
        }
      });
    });
  });
}
