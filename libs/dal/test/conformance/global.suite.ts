import type { Knex } from 'knex';
import type { GlobalDb, NewClient, TenantRow } from '../../src/index';
import {
  ConflictError,
  InvalidCursorError,
  NotFoundError,
  createGlobalDb,
  createKnex,
  migrateControlPlane,
} from '../../src/index';
import type { DatabaseFactory, DatabaseFixture } from '../support/fixtures';
import { allPages, newId, sleep, suffix } from '../support/fixtures';

/** A client's other settings as the control plane registers them by default. */
function clientDefaults(type: NewClient['type']) {
  return {
    allowedOrigins: [],
    postLogoutRedirectUris: [],
    firstParty: false,
    accessTokenTtl: null,
    refreshTokenTtl: null,
    idTokenSignedResponseAlg: 'RS256',
    tokenEndpointAuthMethod: type === 'public' ? 'none' : 'client_secret_basic',
    logoUri: null,
    clientUri: null,
    policyUri: null,
    tosUri: null,
  } satisfies Partial<NewClient>;
}

function byKey(a: { createdAt: Date; id: string }, b: { createdAt: Date; id: string }): number {
  const t = a.createdAt.getTime() - b.createdAt.getTime();
  return t !== 0 ? t : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Migrations and every global repository method, on one driver. */
export function describeGlobalDb(driverName: string, factory: DatabaseFactory): void {
  describe(`global database on ${driverName}`, () => {
    let fixture: DatabaseFixture;
    let knex: Knex;
    let db: GlobalDb;

    beforeAll(async () => {
      fixture = await factory();
      knex = createKnex(fixture.url);
      db = createGlobalDb(knex);
      const applied = await migrateControlPlane(knex);
      expect(applied.length).toBeGreaterThan(0);
      expect(await migrateControlPlane(knex)).toEqual([]);
    });

    afterAll(async () => {
      await db.destroy();
      await fixture.cleanup();
    });

    const newTenant = (overrides: Partial<Parameters<GlobalDb['tenants']['create']>[0]> = {}) =>
      db.tenants.create({
        id: newId(),
        slug: `t-${suffix()}`,
        name: 'Acme',
        databaseMode: 'managed',
        ...overrides,
      });

    it('answers ping and names its driver', async () => {
      await expect(db.ping()).resolves.toBeUndefined();
      expect(db.driver).toBe(driverName);
    });

    describe('tenants', () => {
      it('creates a tenant and reads it back with Dates and parsed JSON', async () => {
        const before = Date.now();
        const created = await newTenant({
          settings: { theme: { color: 'blue' }, n: 1 },
          databaseMode: 'external',
          databaseDriver: 'pg',
          databaseDsnEncrypted: 'enc:abc',
        });
        expect(created.status).toBe('provisioning');
        expect(created.createdAt).toBeInstanceOf(Date);
        expect(created.createdAt.getTime()).toBeGreaterThanOrEqual(before);
        const found = await db.tenants.findById(created.id);
        expect(found).toEqual(created);
        expect(found?.settings).toEqual({ theme: { color: 'blue' }, n: 1 });
        expect(found?.updatedAt).toBeInstanceOf(Date);
        expect(found?.databaseDriver).toBe('pg');
        expect(found?.databaseDsnEncrypted).toBe('enc:abc');
      });

      it('finds by slug and by reference (UUID = id, else slug)', async () => {
        const t = await newTenant();
        expect((await db.tenants.findBySlug(t.slug))?.id).toBe(t.id);
        expect((await db.tenants.findByRef(t.slug))?.id).toBe(t.id);
        expect((await db.tenants.findByRef(t.id))?.id).toBe(t.id);
        expect((await db.tenants.findByRef(t.id.toUpperCase()))?.id).toBe(t.id);
        expect(await db.tenants.findByRef(newId())).toBeUndefined();
        expect(await db.tenants.findByRef('no-such-slug')).toBeUndefined();
        expect(await db.tenants.findById('not-a-uuid')).toBeUndefined();
      });

      it('refuses a duplicate slug or id with ConflictError', async () => {
        const t = await newTenant();
        await expect(newTenant({ slug: t.slug })).rejects.toBeInstanceOf(ConflictError);
        await expect(newTenant({ id: t.id })).rejects.toBeInstanceOf(ConflictError);
      });

      it('treats slugs as case-sensitive on every driver', async () => {
        const t = await newTenant({ slug: `case-${suffix()}` });
        expect(await db.tenants.findBySlug(t.slug.toUpperCase())).toBeUndefined();
      });

      it('updates name and settings, and sets status with a reason', async () => {
        const t = await newTenant();
        await sleep(5);
        const updated = await db.tenants.update(t.id, { name: 'New', settings: { a: [1, 2] } });
        expect(updated?.name).toBe('New');
        expect(updated?.settings).toEqual({ a: [1, 2] });
        expect(updated!.updatedAt.getTime()).toBeGreaterThan(t.updatedAt.getTime());
        expect(await db.tenants.update(newId(), { name: 'x' })).toBeUndefined();

        expect(await db.tenants.setStatus(t.id, 'failed', 'database unreachable')).toBe(true);
        let read = await db.tenants.findById(t.id);
        expect(read?.status).toBe('failed');
        expect(read?.statusReason).toBe('database unreachable');
        expect(await db.tenants.setStatus(t.id, 'active', null)).toBe(true);
        read = await db.tenants.findById(t.id);
        expect(read?.statusReason).toBeNull();
        expect(await db.tenants.setStatus(newId(), 'active', null)).toBe(false);
      });

      it('pages with an opaque keyset cursor, in (createdAt, id) order, without gaps', async () => {
        for (let i = 0; i < 5; i += 1) await newTenant();
        const everything = await db.tenants.list({ limit: 1000 });
        expect(everything.nextCursor).toBeNull();
        const paged = await allPages((cursor) => db.tenants.list({ limit: 2, cursor }));
        expect(paged.map((t) => t.id)).toEqual(everything.rows.map((t) => t.id));
        expect([...paged].sort(byKey).map((t) => t.id)).toEqual(paged.map((t) => t.id));
        expect(new Set(paged.map((t) => t.id)).size).toBe(paged.length);
        const first = await db.tenants.list({ limit: 2 });
        expect(first.rows).toHaveLength(2);
        expect(first.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
      });

      it('filters by status', async () => {
        const t = await newTenant();
        await db.tenants.setStatus(t.id, 'deleting', null);
        const page = await db.tenants.list({ limit: 1000, status: 'deleting' });
        expect(page.rows.map((r: TenantRow) => r.id)).toContain(t.id);
        expect(page.rows.every((r) => r.status === 'deleting')).toBe(true);
      });

      it('rejects malformed cursors with InvalidCursorError', async () => {
        for (const cursor of [
          'not base64!',
          Buffer.from('junk').toString('base64url'),
          Buffer.from('{"t":"x","i":"y"}').toString('base64url'),
          '',
        ]) {
          await expect(db.tenants.list({ limit: 2, cursor })).rejects.toBeInstanceOf(
            InvalidCursorError,
          );
        }
        await expect(db.tenants.list({ limit: 0 })).rejects.toBeInstanceOf(RangeError);
      });

      it('deletes a tenant and its clients', async () => {
        const t = await newTenant();
        await db.clients.create({
          id: newId(),
          tenantId: t.id,
          clientId: `c-${suffix()}`,
          name: 'App',
          type: 'public',
          secretHash: null,
          redirectUris: [],
          grantTypes: [],
          scopes: [],
          ...clientDefaults('public'),
        });
        expect(await db.tenants.delete(t.id)).toBe(true);
        expect(await db.tenants.delete(t.id)).toBe(false);
        expect(await db.tenants.findById(t.id)).toBeUndefined();
        expect((await db.clients.listByTenant(t.id, { limit: 10 })).rows).toEqual([]);
      });
    });

    describe('clients', () => {
      const newClient = (tenantId: string, clientId = `c-${suffix()}`) =>
        db.clients.create({
          id: newId(),
          tenantId,
          clientId,
          name: 'Web',
          type: 'confidential',
          secretHash: 'hash',
          redirectUris: ['https://app.example/cb'],
          grantTypes: ['authorization_code', 'refresh_token'],
          scopes: ['openid', 'profile'],
          ...clientDefaults('confidential'),
        });

      it('creates, finds within the tenant only, updates and deletes', async () => {
        const t = await newTenant();
        const other = await newTenant();
        const c = await newClient(t.id);
        expect(c.redirectUris).toEqual(['https://app.example/cb']);
        expect(c.createdAt).toBeInstanceOf(Date);
        expect(await db.clients.findByClientId(t.id, c.clientId)).toEqual(c);
        expect(await db.clients.findByClientId(other.id, c.clientId)).toBeUndefined();

        const updated = await db.clients.update(t.id, c.clientId, {
          name: 'Web 2',
          scopes: ['openid'],
          secretHash: 'rotated',
        });
        expect(updated?.name).toBe('Web 2');
        expect(updated?.scopes).toEqual(['openid']);
        expect(updated?.secretHash).toBe('rotated');
        expect(updated?.grantTypes).toEqual(['authorization_code', 'refresh_token']);
        expect(await db.clients.update(other.id, c.clientId, { name: 'x' })).toBeUndefined();

        expect(await db.clients.delete(other.id, c.clientId)).toBe(false);
        expect(await db.clients.delete(t.id, c.clientId)).toBe(true);
        expect(await db.clients.findByClientId(t.id, c.clientId)).toBeUndefined();
      });

      it('stores and changes every setting, and null clears a nullable one', async () => {
        const t = await newTenant();
        const c = await db.clients.create({
          id: newId(),
          tenantId: t.id,
          clientId: `c-${suffix()}`,
          name: 'SPA',
          type: 'public',
          secretHash: null,
          redirectUris: ['https://spa.example/cb'],
          grantTypes: ['authorization_code'],
          scopes: ['openid'],
          allowedOrigins: ['https://spa.example', 'http://localhost:3000'],
          postLogoutRedirectUris: ['https://spa.example/bye'],
          firstParty: true,
          accessTokenTtl: 600,
          refreshTokenTtl: 86_400,
          idTokenSignedResponseAlg: 'EdDSA',
          tokenEndpointAuthMethod: 'none',
          logoUri: 'https://spa.example/logo.png',
          clientUri: 'https://spa.example',
          policyUri: 'https://spa.example/privacy',
          tosUri: 'https://spa.example/terms',
        });
        expect(await db.clients.findByClientId(t.id, c.clientId)).toEqual(c);
        expect(c).toMatchObject({
          allowedOrigins: ['https://spa.example', 'http://localhost:3000'],
          firstParty: true,
          accessTokenTtl: 600,
          refreshTokenTtl: 86_400,
          idTokenSignedResponseAlg: 'EdDSA',
        });

        const updated = await db.clients.update(t.id, c.clientId, {
          allowedOrigins: [],
          firstParty: false,
          accessTokenTtl: null,
          logoUri: null,
        });
        expect(updated).toEqual({
          ...c,
          allowedOrigins: [],
          firstParty: false,
          accessTokenTtl: null,
          logoUri: null,
          updatedAt: expect.any(Date),
        });
      });

      it('refuses a duplicate client_id and an unknown tenant', async () => {
        const t = await newTenant();
        const c = await newClient(t.id);
        await expect(newClient(t.id, c.clientId)).rejects.toBeInstanceOf(ConflictError);
        await expect(newClient(newId())).rejects.toBeInstanceOf(NotFoundError);
      });

      it('lists one tenant’s clients page by page', async () => {
        const t = await newTenant();
        const ids: string[] = [];
        for (let i = 0; i < 3; i += 1) ids.push((await newClient(t.id)).clientId);
        await newClient((await newTenant()).id);
        const paged = await allPages((cursor) =>
          db.clients.listByTenant(t.id, { limit: 2, cursor }),
        );
        expect(paged.map((c) => c.clientId).sort()).toEqual([...ids].sort());
      });
    });

    describe('admins', () => {
      it('creates, finds, lists, counts and deletes', async () => {
        const start = await db.admins.count();
        const email = `a-${suffix()}@example.com`;
        const a = await db.admins.create({ id: newId(), email, passwordHash: 'h', role: 'owner' });
        expect(a.createdAt).toBeInstanceOf(Date);
        expect(await db.admins.findByEmail(email)).toEqual(a);
        expect(await db.admins.findById(a.id)).toEqual(a);
        expect(await db.admins.findByEmail('nobody@example.com')).toBeUndefined();
        await expect(
          db.admins.create({ id: newId(), email, passwordHash: 'h', role: 'viewer' }),
        ).rejects.toBeInstanceOf(ConflictError);
        await db.admins.create({
          id: newId(),
          email: `b-${suffix()}@example.com`,
          passwordHash: 'h',
          role: 'viewer',
        });
        expect(await db.admins.count()).toBe(start + 2);
        const listed = await allPages((cursor) => db.admins.list({ limit: 1, cursor }));
        expect(listed).toHaveLength(start + 2);
        expect(await db.admins.delete(a.id)).toBe(true);
        expect(await db.admins.delete(a.id)).toBe(false);
        expect(await db.admins.count()).toBe(start + 1);
      });
    });

    describe('signing keys', () => {
      it('inserts, lists newest first and finds the active key', async () => {
        const jwk = { kty: 'OKP', crv: 'Ed25519', x: 'abc' };
        const base = { alg: 'EdDSA', publicJwk: jwk, privateKeyEncrypted: 'enc' };
        const old = await db.signingKeys.insert({
          ...base,
          kid: `k-${suffix()}`,
          status: 'retired',
          createdAt: new Date(Date.now() - 60_000),
        });
        const active = await db.signingKeys.insert({
          ...base,
          kid: `k-${suffix()}`,
          status: 'active',
        });
        const all = await db.signingKeys.listAll();
        expect(all.map((k) => k.kid)).toEqual([active.kid, old.kid]);
        expect(all[0]?.publicJwk).toEqual(jwk);
        expect(await db.signingKeys.findActive()).toEqual(active);
        await expect(
          db.signingKeys.insert({ ...base, kid: active.kid, status: 'active' }),
        ).rejects.toBeInstanceOf(ConflictError);
        expect(await db.signingKeys.setStatus(active.kid, 'retired')).toBe(true);
        expect(await db.signingKeys.findActive()).toBeUndefined();
      });
    });
  });
}
