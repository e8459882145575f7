import {
  createKnex,
  ensureManagedDatabase,
  managedDatabaseExists,
  managedDatabaseUrl,
  TENANT_MIGRATIONS_TABLE,
  type TenantConnectionInfo,
} from '@hellojohn/dal';
import { createEvent, type EventEnvelope } from '@hellojohn/events';
import {
  KEY_ACTIVATION_DELAY_SECONDS,
  KEY_RETIREMENT_GRACE_SECONDS,
} from '../src/keys/key-schedule';
import { createKeyring } from '../src/keys/keyring';
import { DEFAULT_ROLES } from '../src/features/provisioning/default-roles';
import type { TenantConfig } from '../src/tenancy/tenant-config';
import { startProvisioningSystem, type ProvisioningSystem } from './support/provisioning-system';

/** An operator-given database for the external-mode tests. */
export interface ExternalDatabases {
  driver: 'pg' | 'mysql';
  /** A new empty database; `cleanup` drops it. */
  create: () => Promise<{ url: string; cleanup: () => Promise<void> }>;
  /** Runs SQL in it (to make it "foreign"). */
  run(url: string, sql: string): Promise<void>;
  /** A DSN with a password whose server port is closed. */
  unreachableUrl: string;
}

/** An answer's data, loosely: the tests look at a few fields of several event types. */
const dataOf = (event: EventEnvelope | undefined): Record<string, unknown> => ({
  ...event?.data,
});

const managed = (tenantId: string): TenantConnectionInfo => ({
  tenantId,
  database: { mode: 'managed' },
});

async function migrationCount(serverUrl: string, tenantId: string): Promise<number> {
  const knex = createKnex(managedDatabaseUrl(serverUrl, tenantId), { poolMax: 1 });
  try {
    const rows = (await knex(TENANT_MIGRATIONS_TABLE).select('name')) as unknown[];
    return rows.length;
  } finally {
    await knex.destroy();
  }
}

async function forgetLastMigration(serverUrl: string, tenantId: string): Promise<void> {
  const knex = createKnex(managedDatabaseUrl(serverUrl, tenantId), { poolMax: 1 });
  try {
    const last = (await knex(TENANT_MIGRATIONS_TABLE).max({ id: 'id' }).first()) as
      { id: number } | undefined;
    await knex(TENANT_MIGRATIONS_TABLE).where({ id: last?.id }).delete();
  } finally {
    await knex.destroy();
  }
}

/**
 * Provisioning against one tenant database server: managed databases created, migrated, given
 * keys and roles exactly once whatever the delivery; deprovisioning; key rotation; and, where the
 * driver has a server, external databases.
 */
export function provisioningSuite(
  name: string,
  server: () => Promise<{ url: string; cleanup: () => Promise<void> }>,
  external?: ExternalDatabases,
): void {
  describe(name, () => {
    let h: ProvisioningSystem;
    let cleanup: () => Promise<void>;

    beforeAll(async () => {
      const s = await server();
      cleanup = s.cleanup;
      h = await startProvisioningSystem(s.url);
    });
    afterAll(async () => {
      await h.close();
      await cleanup();
    });

    async function provisioned(
      database?: TenantConfig['database'],
      settings?: Record<string, unknown>,
    ): Promise<{ tenant: TenantConfig; event: EventEnvelope<'tenant.created'> }> {
      const created = h.newTenant(database, settings);
      await h.bus.publish(created.event);
      await h.waitForAnswers(created.tenant.id, 'tenant.provisioned');
      h.cp.add({ ...created.tenant, status: 'active' });
      return created;
    }

    it('provisions a managed tenant: database, migrations, one key per algorithm, default roles', async () => {
      const { tenant } = await provisioned();
      expect(await managedDatabaseExists(h.serverUrl, tenant.id)).toBe(true);
      const db = h.pools.get(managed(tenant.id));
      expect((await db.meta.get())?.tenantId).toBe(tenant.id);
      const keys = await db.signingKeys.listAll();
      expect(keys.map((k) => `${k.alg}:${k.status}`).sort()).toEqual([
        'ES256:active',
        'EdDSA:active',
        'RS256:active',
      ]);
      expect((await db.roles.listTenantWide()).map((r) => r.key).sort()).toEqual(
        DEFAULT_ROLES.map((r) => r.key).sort(),
      );
      const [answer] = await h.waitForAnswers(tenant.id, 'tenant.provisioned');
      const eddsa = keys.find((k) => k.alg === 'EdDSA');
      expect(dataOf(answer)).toMatchObject({ database_created: true, signing_key_kid: eddsa?.kid });
      // Access tokens are signed with EdDSA (or the tenant's access_token_alg), ID tokens with
      // RS256; all three are published.
      expect((await h.keyring.signingKey(db)).alg).toBe('EdDSA');
      expect((await h.keyring.signingKey(db, 'ES256')).alg).toBe('ES256');
      expect((await h.keyring.signingKey(db, 'RS256')).alg).toBe('RS256');
      expect((await h.keyring.idTokenKey(db)).alg).toBe('RS256');
      expect((await h.keyring.jwks(db)).keys.map((k) => k.alg).sort()).toEqual([
        'ES256',
        'EdDSA',
        'RS256',
      ]);
    });

    if (external) {
      // A burst of creations must not leave every provisioned tenant's pool open on whichever
      // replica provisioned it (deploy/test/stack.system.test.ts): the work runs on its own pool.
      it('leaves no pool open for the tenant it provisioned (a database server)', async () => {
        const before = h.pools.openCount();
        await provisioned();
        expect(h.pools.openCount()).toBe(before);
      });
    }

    it('ends in one database, migrated once, one key per algorithm and the roles once when an event is delivered twice', async () => {
      const { tenant, event } = h.newTenant();
      await Promise.all([h.bus.publish(event), h.bus.publish(event)]);
      await h.waitForAnswers(tenant.id, 'tenant.provisioned', 2);
      const migrated = await migrationCount(h.serverUrl, tenant.id);
      await h.bus.publish(event);
      const answers = await h.waitForAnswers(tenant.id, 'tenant.provisioned', 3);
      // Exactly one delivery created the database; the others re-answered.
      expect(answers.filter((a) => dataOf(a).database_created === true)).toHaveLength(1);
      expect(new Set(answers.map((a) => dataOf(a).signing_key_kid)).size).toBe(1);
      expect(await migrationCount(h.serverUrl, tenant.id)).toBe(migrated);
      const db = h.pools.get(managed(tenant.id));
      expect(await db.signingKeys.listAll()).toHaveLength(3);
      expect(await db.roles.listTenantWide()).toHaveLength(DEFAULT_ROLES.length);
    });

    it('completes a tenant whose provisioning stopped after any step', async () => {
      const { tenant, event } = h.newTenant();
      // As if the process died after creating and migrating the database and making the keys,
      // with one migration applied but not recorded (MySQL cannot roll back DDL).
      await ensureManagedDatabase(h.serverUrl, tenant.id);
      await h.pools.migrate(managed(tenant.id));
      const db = h.pools.get(managed(tenant.id));
      await h.keyring.ensureKeys(db);
      const migrations = await migrationCount(h.serverUrl, tenant.id);
      await forgetLastMigration(h.serverUrl, tenant.id);

      await h.bus.publish(event);
      await h.waitForAnswers(tenant.id, 'tenant.provisioned');
      expect(await migrationCount(h.serverUrl, tenant.id)).toBe(migrations);
      const keys = await db.signingKeys.listAll();
      expect(keys.map((k) => `${k.alg}:${k.status}`).sort()).toEqual([
        'ES256:active',
        'EdDSA:active',
        'RS256:active',
      ]);
      expect(await db.roles.listTenantWide()).toHaveLength(DEFAULT_ROLES.length);
      expect((await db.meta.get())?.tenantId).toBe(tenant.id);
    });

    it('makes nothing for a tenant the control plane no longer has', async () => {
      const { tenant, event } = h.newTenant();
      h.cp.remove(tenant.id);
      await expect(h.provisioning.provision(event)).resolves.toBeUndefined();
      expect(await managedDatabaseExists(h.serverUrl, tenant.id)).toBe(false);
    });

    it('deprovisions: closes the pool, drops the managed database, answers; twice is harmless', async () => {
      const { tenant } = await provisioned();
      await h.pools.get(managed(tenant.id)).ping();
      const deleted = createEvent('tenant.deleted', tenant.id, {
        slug: tenant.slug,
        drop_database: true,
      });
      await h.bus.publish(deleted);
      await h.waitForAnswers(tenant.id, 'tenant.deprovisioned');
      expect(await managedDatabaseExists(h.serverUrl, tenant.id)).toBe(false);
      await h.bus.publish(deleted);
      await h.waitForAnswers(tenant.id, 'tenant.deprovisioned', 2);
      expect(await managedDatabaseExists(h.serverUrl, tenant.id)).toBe(false);
    });

    it('rotates keys: published at once, signing after the JWKS cache lifetime, retired after the token lifetime', async () => {
      const { tenant } = await provisioned();
      const db = h.pools.get(managed(tenant.id));
      const oldKey = (await h.keyring.signingKey(db)).kid;
      const rotation = createEvent('tenant.keys.rotation_requested', tenant.id, {
        slug: tenant.slug,
        requested_by: 'admin:test',
      });
      // Delivered twice: still one pending key per algorithm.
      await h.bus.publish(rotation);
      await h.bus.publish(rotation);
      let next: string[] = [];
      const deadline = Date.now() + 20_000;
      while (next.length < 3 && Date.now() < deadline) {
        next = (await h.keyring.keys(db)).filter((k) => k.status === 'next').map((k) => k.kid);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
      const rows = await h.keyring.keys(db);
      expect(rows.filter((k) => k.status === 'next')).toHaveLength(3);
      const newKey = rows.find((k) => k.status === 'next' && k.alg === 'EdDSA')?.kid;

      // Published at once, but the old key still signs.
      expect((await h.keyring.jwks(db)).keys.map((k) => k.kid)).toEqual(
        expect.arrayContaining([oldKey, newKey]),
      );
      expect((await h.keyring.signingKey(db)).kid).toBe(oldKey);
      h.clock.advance(KEY_ACTIVATION_DELAY_SECONDS - 1);
      expect((await h.keyring.signingKey(db)).kid).toBe(oldKey);

      // After the JWKS cache lifetime: the new key signs, the old one still verifies.
      h.clock.advance(2);
      expect((await h.keyring.signingKey(db)).kid).toBe(newKey);
      expect((await h.keyring.jwks(db)).keys).toHaveLength(6);
      const retiring = (await h.keyring.keys(db)).find((k) => k.kid === oldKey);
      expect(retiring?.status).toBe('retiring');
      expect(await h.keyring.publicKey(db, oldKey)).toBeDefined();

      // After the last token it signed expired (900 s here) and the grace: out of the JWKS.
      h.clock.advance(900 + KEY_RETIREMENT_GRACE_SECONDS + 1);
      const jwks = (await h.keyring.jwks(db)).keys.map((k) => k.kid);
      expect(jwks).toHaveLength(3);
      expect(jwks).toContain(newKey);
      expect(jwks).not.toContain(oldKey);
      expect((await h.keyring.keys(db)).find((k) => k.kid === oldKey)?.status).toBe('retired');
      expect((await h.keyring.idTokenKey(db)).kid).not.toBe(
        rows.find((k) => k.alg === 'RS256' && k.status === 'active')?.kid,
      );
    });

    it('rotates automatically once key_rotation_days have passed, and only tenants that asked', async () => {
      const { tenant } = await provisioned(undefined, { key_rotation_days: 1 });
      const { tenant: manual } = await provisioned();
      const first = await h.sweep.run();
      expect(first.rotated).not.toContain(tenant.id);
      h.clock.advance(2 * 86_400);
      const second = await h.sweep.run();
      expect(second.rotated).toContain(tenant.id);
      expect(second.rotated).not.toContain(manual.id);
      // A rotation is pending: the next sweep does not start another.
      expect((await h.sweep.run()).rotated).not.toContain(tenant.id);
      const keys = await h.keyring.keys(h.pools.get(managed(tenant.id)));
      expect(keys.filter((k) => k.status === 'next')).toHaveLength(3);
    });

    it('gives a tenant provisioned before ES256 its key on first use, once even when replicas race', async () => {
      const { tenant } = await provisioned();
      const db = h.pools.get(managed(tenant.id));
      // As a tenant provisioned when only EdDSA and RS256 existed: no usable ES256 key.
      const original = await db.signingKeys.findActive('ES256');
      expect(original).toBeDefined();
      await db.signingKeys.transition(original?.kid ?? '', 'active', 'retired');
      h.keyring.invalidate(tenant.id);
      // Two replicas (two keyrings), several requests each, all at once.
      const other = createKeyring({ masterKey: h.masterKey, now: () => h.clock.now() });
      const keys = await Promise.all([
        h.keyring.signingKey(db, 'ES256'),
        h.keyring.signingKey(db, 'ES256'),
        other.signingKey(db, 'ES256'),
        other.signingKey(db, 'ES256'),
      ]);
      expect(keys.every((key) => key.alg === 'ES256')).toBe(true);
      const active = (await db.signingKeys.listAll()).filter(
        (k) => k.alg === 'ES256' && k.status === 'active',
      );
      // One per replica at most (each process creates once); every one is published, and
      // after a reload every replica signs with the same, newest one.
      expect(active.length).toBeGreaterThanOrEqual(1);
      expect(active.length).toBeLessThanOrEqual(2);
      h.keyring.invalidate(tenant.id);
      other.invalidate(tenant.id);
      const published = (await h.keyring.jwks(db)).keys.map((k) => k.kid);
      for (const key of keys) expect(published).toContain(key.kid);
      expect((await h.keyring.signingKey(db, 'ES256')).kid).toBe(active[0]?.kid);
      expect((await other.signingKey(db, 'ES256')).kid).toBe(active[0]?.kid);
      // ensureKeys (start-up, provisioning) finds it and makes no other.
      expect((await h.keyring.ensureKeys(db)).ES256).toBe(active[0]?.kid);
      expect(
        (await db.signingKeys.listAll()).filter((k) => k.alg === 'ES256' && k.status === 'active'),
      ).toHaveLength(active.length);
    });

    if (external) {
      describe('external databases', () => {
        it('migrates an empty external database and leaves it in place on deprovision', async () => {
          const target = await external.create();
          try {
            const { tenant } = await provisioned({
              mode: 'external',
              driver: external.driver,
              url: target.url,
            });
            const info: TenantConnectionInfo = {
              tenantId: tenant.id,
              database: { mode: 'external', url: target.url },
            };
            const db = h.pools.get(info);
            expect(await db.signingKeys.listAll()).toHaveLength(3);
            await h.bus.publish(
              createEvent('tenant.deleted', tenant.id, { slug: tenant.slug, drop_database: false }),
            );
            await h.waitForAnswers(tenant.id, 'tenant.deprovisioned');
            // Still there, still ours.
            expect(await h.pools.get(info).signingKeys.listAll()).toHaveLength(3);
            await h.pools.close(tenant.id);
          } finally {
            await target.cleanup();
          }
        });

        it('refuses a non-empty database that HelloJohn did not create', async () => {
          const target = await external.create();
          try {
            await external.run(target.url, 'create table customers (id int)');
            const { tenant, event } = h.newTenant({
              mode: 'external',
              driver: external.driver,
              url: target.url,
            });
            await h.bus.publish(event);
            const [failed] = await h.waitForAnswers(tenant.id, 'tenant.provisioning_failed');
            expect(dataOf(failed)).toMatchObject({ attempts: 3 });
            expect(String(dataOf(failed).reason)).toMatch(
              /not empty and was not created by HelloJohn/,
            );
            await h.pools.close(tenant.id);
          } finally {
            await target.cleanup();
          }
        });

        it('answers tenant.provisioning_failed for a wrong DSN, with a reason to act on and no password', async () => {
          const { tenant, event } = h.newTenant({
            mode: 'external',
            driver: external.driver,
            url: external.unreachableUrl,
          });
          await h.bus.publish(event);
          const [failed] = await h.waitForAnswers(tenant.id, 'tenant.provisioning_failed');
          const reason = String(dataOf(failed).reason);
          expect(reason).toMatch(/cannot use the external database/);
          expect(reason).toMatch(/ECONNREFUSED/);
          expect(reason).toMatch(/check the host, port/);
          expect(reason).not.toContain('s3cret-pw');
          expect(h.bus.deadLetters('data-plane.provisioning').map((d) => d.event?.id)).toContain(
            event.id,
          );
        });
      });
    }
  });
}
