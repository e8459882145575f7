import type { Knex } from 'knex';
import {
  createKnex,
  createTenantPools,
  dropManagedDatabase,
  ensureManagedDatabase,
  managedDatabaseUrl,
  TENANT_MIGRATIONS_TABLE,
  type TenantPools,
} from '../../src/index';
import type { ServerFactory, ServerFixture } from '../support/fixtures';
import { newId } from '../support/fixtures';

type Row = Record<string, unknown>;

async function rowsOf(knex: Knex, sql: string): Promise<Row[]> {
  const result: unknown = await knex.raw(sql);
  switch (String((knex.client as Knex.Client).config.client)) {
    case 'pg':
      return (result as { rows: Row[] }).rows;
    case 'mysql2':
      return (result as [Row[], unknown])[0];
    default:
      return result as Row[];
  }
}

/** Catalog queries whose answers describe a schema completely enough to tell two apart. */
const CATALOG: Record<'pg' | 'mysql2' | 'better-sqlite3', string[]> = {
  pg: [
    `select table_name, column_name, ordinal_position, data_type, is_nullable, column_default,
       character_maximum_length, numeric_precision from information_schema.columns
     where table_schema = current_schema() order by table_name, ordinal_position`,
    `select tablename, indexname, indexdef from pg_indexes
     where schemaname = current_schema() order by tablename, indexname`,
    `select conrelid::regclass::text as tbl, conname, pg_get_constraintdef(oid) as def
     from pg_constraint where connamespace = current_schema()::regnamespace
     order by 1, 2`,
    `select sequence_name, data_type, start_value, increment from information_schema.sequences
     where sequence_schema = current_schema() order by sequence_name`,
  ],
  mysql2: [
    `select table_name, engine, table_collation from information_schema.tables
     where table_schema = database() order by table_name`,
    `select table_name, column_name, ordinal_position, column_type, is_nullable, column_default,
       extra, collation_name from information_schema.columns
     where table_schema = database() order by table_name, ordinal_position`,
    `select table_name, index_name, seq_in_index, column_name, non_unique, sub_part
     from information_schema.statistics where table_schema = database()
     order by table_name, index_name, seq_in_index`,
    `select k.table_name, k.constraint_name, k.column_name, k.referenced_table_name,
       k.referenced_column_name, r.update_rule, r.delete_rule
     from information_schema.key_column_usage k
     left join information_schema.referential_constraints r
       on r.constraint_schema = k.constraint_schema and r.constraint_name = k.constraint_name
     where k.table_schema = database()
     order by k.table_name, k.constraint_name, k.ordinal_position`,
    `select table_name, constraint_name, check_clause from information_schema.check_constraints
     where constraint_schema = database() order by table_name, constraint_name`,
  ],
  'better-sqlite3': [
    `select type, name, tbl_name, sql from sqlite_master
     where name not like 'sqlite_%' order by type, name`,
  ],
};

/** The schema of a tenant database and its migration bookkeeping, as plain rows. */
async function dump(url: string): Promise<Row[][]> {
  const knex = createKnex(url, { poolMax: 1 });
  try {
    const client = String((knex.client as Knex.Client).config.client) as keyof typeof CATALOG;
    const out: Row[][] = [];
    for (const sql of CATALOG[client]) out.push(await rowsOf(knex, sql));
    out.push(
      (await knex(TENANT_MIGRATIONS_TABLE).select('name', 'batch').orderBy('id')) as Row[],
      (await knex(`${TENANT_MIGRATIONS_TABLE}_lock`).select('*')) as Row[],
    );
    return out;
  } finally {
    await knex.destroy();
  }
}

/** New managed databases copied from the template equal migrated ones, on one driver. */
export function describeTemplateProvisioning(driverName: string, factory: ServerFactory): void {
  describe(`managed databases from the template on ${driverName}`, () => {
    let server: ServerFixture;
    let pools: TenantPools;
    const tenants: string[] = [];
    const tenant = (): string => {
      const id = newId();
      tenants.push(id);
      return id;
    };
    const managed = (tenantId: string) => ({ tenantId, database: { mode: 'managed' as const } });

    beforeAll(async () => {
      server = await factory();
      pools = createTenantPools({ serverUrl: server.serverUrl, maxOpen: 10, idleMs: 60_000 });
    });

    afterAll(async () => {
      await pools.closeAll();
      for (const id of tenants) await dropManagedDatabase(server.serverUrl, id);
      // The template stays: it is shared by every process on this server (named per migration
      // set, so a new migration makes a new one), like the one a deployment keeps.
      await server.cleanup();
    });

    it('gives the same schema and bookkeeping as migrating from empty', async () => {
      const [copied, migrated] = [tenant(), tenant()];
      expect(await ensureManagedDatabase(server.serverUrl, copied, { fromTemplate: true })).toEqual(
        { created: true },
      );
      // The copy is current: the migrations that still run after it find nothing to do.
      expect(await pools.migrate(managed(copied))).toEqual([]);
      expect(await ensureManagedDatabase(server.serverUrl, migrated)).toEqual({ created: true });
      expect((await pools.migrate(managed(migrated))).length).toBeGreaterThan(0);
      await pools.closeAll();

      const [fromTemplate, fromMigrations] = [
        await dump(managedDatabaseUrl(server.serverUrl, copied)),
        await dump(managedDatabaseUrl(server.serverUrl, migrated)),
      ];
      expect(fromTemplate[0]?.length).toBeGreaterThan(20);
      expect(fromTemplate).toEqual(fromMigrations);
      expect(await pools.inspect(managed(copied))).toBe('empty');
    });

    it('creates each database exactly once under concurrent calls', async () => {
      const ids = [tenant(), tenant(), tenant()];
      const results = await Promise.all(
        ids.flatMap((id) =>
          [1, 2].map(() => ensureManagedDatabase(server.serverUrl, id, { fromTemplate: true })),
        ),
      );
      expect(results.filter((r) => r.created)).toHaveLength(ids.length);
      for (const id of ids) {
        expect(await ensureManagedDatabase(server.serverUrl, id, { fromTemplate: true })).toEqual({
          created: false,
        });
        expect(await pools.migrate(managed(id))).toEqual([]);
      }
    });
  });
}
