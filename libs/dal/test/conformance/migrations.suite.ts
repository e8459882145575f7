import type { Knex } from 'knex';
import * as addClientSettings from '../../src/migrations/control-plane/20261205000100_add_client_settings';
import {
  CONTROL_PLANE_MIGRATIONS_TABLE,
  TENANT_MIGRATIONS_TABLE,
  createGlobalDb,
  createKnex,
  migrateControlPlane,
  migrateTenant,
  rollbackControlPlane,
  rollbackTenant,
} from '../../src/index';
import { schemaSnapshot } from '../support/schema-snapshot';
import { sqliteDatabase } from '../support/sqlite';
import { newId, type DatabaseFactory } from '../support/fixtures';

interface Plane {
  name: string;
  table: string;
  up(knex: Knex): Promise<string[]>;
  down(knex: Knex): Promise<void>;
}

const planes: Plane[] = [
  {
    name: 'control-plane',
    table: CONTROL_PLANE_MIGRATIONS_TABLE,
    up: migrateControlPlane,
    down: rollbackControlPlane,
  },
  { name: 'tenant', table: TENANT_MIGRATIONS_TABLE, up: migrateTenant, down: rollbackTenant },
];

async function withDatabase<T>(
  factory: DatabaseFactory,
  fn: (knex: Knex) => Promise<T>,
): Promise<T> {
  const fixture = await factory();
  const knex = createKnex(fixture.url);
  try {
    return await fn(knex);
  } finally {
    await knex.destroy();
    await fixture.cleanup();
  }
}

/** up -> snapshot -> down -> up -> same snapshot, for both schemas. */
async function roundTrip(factory: DatabaseFactory, plane: Plane): Promise<string[]> {
  return withDatabase(factory, async (knex) => {
    const applied = await plane.up(knex);
    const first = await schemaSnapshot(knex);
    await plane.down(knex);
    const tables = new Set((await schemaSnapshot(knex)).map((c) => c.split('.')[0]));
    expect([...tables].sort()).toEqual([plane.table, `${plane.table}_lock`].sort());
    expect(await plane.up(knex)).toEqual(applied);
    const second = await schemaSnapshot(knex);
    expect(second).toEqual(first);
    return first;
  });
}

/**
 * Migration round trip on one driver. On pg/mysql the snapshot must also equal SQLite's, so the
 * three drivers can never drift apart in table or column names.
 */
export function describeMigrationRoundTrip(driverName: string, factory: DatabaseFactory): void {
  describe(`migrations on ${driverName}`, () => {
    for (const plane of planes) {
      it(`${plane.name}: up -> down -> up leaves the same schema`, async () => {
        const snapshot = await roundTrip(factory, plane);
        expect(snapshot.length).toBeGreaterThan(0);
        if (driverName === 'sqlite') {
          expect(snapshot).toMatchSnapshot();
        } else {
          const reference = await withDatabase(sqliteDatabase, async (knex) => {
            await plane.up(knex);
            return schemaSnapshot(knex);
          });
          expect(snapshot).toEqual(reference);
        }
      });
    }

    it('control-plane: clients registered before their settings existed get the defaults', async () => {
      await withDatabase(factory, async (knex) => {
        await migrateControlPlane(knex);
        const db = createGlobalDb(knex);
        const tenant = await db.tenants.create({
          id: newId(),
          slug: 'old-clients',
          name: 'Old',
          databaseMode: 'managed',
        });
        await addClientSettings.down(knex);
        const now = new Date();
        const oldRow = (clientId: string, type: string) => ({
          id: newId(),
          tenant_id: tenant.id,
          client_id: clientId,
          name: clientId,
          type,
          secret_hash: type === 'confidential' ? 'hash' : null,
          redirect_uris: '["https://app.example/cb"]',
          grant_types: '["authorization_code"]',
          scopes: '["openid"]',
          created_at: now,
          updated_at: now,
        });
        await knex('clients').insert([oldRow('web', 'confidential'), oldRow('spa', 'public')]);
        await addClientSettings.up(knex);

        const defaults = {
          allowedOrigins: [],
          postLogoutRedirectUris: [],
          firstParty: false,
          accessTokenTtl: null,
          refreshTokenTtl: null,
          idTokenSignedResponseAlg: 'RS256',
          logoUri: null,
          clientUri: null,
          policyUri: null,
          tosUri: null,
        };
        expect(await db.clients.findByClientId(tenant.id, 'web')).toMatchObject({
          ...defaults,
          redirectUris: ['https://app.example/cb'],
          tokenEndpointAuthMethod: 'client_secret_basic',
        });
        expect(await db.clients.findByClientId(tenant.id, 'spa')).toMatchObject({
          ...defaults,
          tokenEndpointAuthMethod: 'none',
        });
      });
    });
  });
}
