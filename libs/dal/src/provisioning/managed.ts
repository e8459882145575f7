import { mkdirSync, openSync, closeSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { isUuid } from '../internal/ids';
import { parseDatabaseUrl, withDatabase } from '../url';
import { hasCode, sqliteDir, withMysqlConnection, withPgClient } from './server-connection';
import { createFromTemplate } from './template';

const MANAGED_NAME = /^hj_t_[0-9a-f]{32}$/;

/**
 * The managed database name of a tenant: `hj_t_` + its UUID's 32 hex digits, lowercase. Throws
 * unless `tenantId` is a UUID; this name is the only thing ever put into DDL.
 *
 * @example
 * managedDatabaseName('0b9e8f5e-3c1a-4d2b-9f00-5a6b7c8d9e0f'); // 'hj_t_0b9e8f5e3c1a4d2b9f005a6b7c8d9e0f'
 */
export function managedDatabaseName(tenantId: string): string {
  if (!isUuid(tenantId)) throw new TypeError('tenantId must be a UUID');
  const name = `hj_t_${tenantId.replace(/-/g, '').toLowerCase()}`;
  // Belt and braces: what reaches SQL below is checked against the strict pattern again.
  if (!MANAGED_NAME.test(name)) throw new TypeError('tenantId must be a UUID');
  return name;
}

/**
 * The URL of a tenant's managed database on the tenant database server.
 *
 * @example
 * managedDatabaseUrl('postgres://hj@db:5432/postgres', id); // 'postgres://hj@db:5432/hj_t_…'
 * managedDatabaseUrl('sqlite:./data/tenants', id); // 'sqlite:data/tenants/hj_t_….db'
 */
export function managedDatabaseUrl(serverUrl: string, tenantId: string): string {
  const name = managedDatabaseName(tenantId);
  const target = parseDatabaseUrl(serverUrl);
  if (target.driver === 'sqlite') return `sqlite:${join(sqliteDir(serverUrl), `${name}.db`)}`;
  return withDatabase(serverUrl, name);
}

/** How {@link ensureManagedDatabase} makes a database. */
export interface EnsureManagedDatabaseOptions {
  /**
   * Copy the migrated template of the current migration set (built once per server and process,
   * see template.ts) instead of starting empty; `migrate` afterwards then has nothing to do.
   */
  fromTemplate?: boolean;
}

/**
 * Creates the tenant's managed database unless it exists, empty or (`fromTemplate`) with the
 * current tenant schema. Safe to call concurrently: exactly one caller sees `created: true`.
 * Run the tenant migrations afterwards either way: a no-op on a current copy, and what makes a
 * stale template harmless.
 *
 * @example
 * const { created } = await ensureManagedDatabase(config.tenantDatabaseUrl, tenant.id, {
 *   fromTemplate: true,
 * });
 */
export async function ensureManagedDatabase(
  serverUrl: string,
  tenantId: string,
  options: EnsureManagedDatabaseOptions = {},
): Promise<{ created: boolean }> {
  const name = managedDatabaseName(tenantId);
  if (options.fromTemplate === true) return createFromTemplate(serverUrl, name);
  const { driver } = parseDatabaseUrl(serverUrl);
  switch (driver) {
    case 'pg':
      return withPgClient(serverUrl, async (client) => {
        const found = await client.query('select 1 from pg_database where datname = $1', [name]);
        if (found.rowCount !== null && found.rowCount > 0) return { created: false };
        try {
          await client.query(`CREATE DATABASE "${name}"`);
          return { created: true };
        } catch (err) {
          // 42P04 duplicate_database; 23505 when two CREATEs race on pg_database's unique index.
          if (hasCode(err, '42P04', '23505')) return { created: false };
          throw err;
        }
      });
    case 'mysql':
      return withMysqlConnection(serverUrl, async (connection) => {
        const [result] = await connection.query<ResultSetHeader>(
          `CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`,
        );
        return { created: result.affectedRows === 1 };
      });
    case 'sqlite': {
      const dir = sqliteDir(serverUrl);
      mkdirSync(dir, { recursive: true });
      try {
        // 'wx' fails if the file exists: an atomic "create once". An empty file is a valid
        // SQLite database.
        closeSync(openSync(join(dir, `${name}.db`), 'wx'));
        return { created: true };
      } catch (err) {
        if (hasCode(err, 'EEXIST')) return { created: false };
        throw err;
      }
    }
  }
}

/**
 * Drops the tenant's managed database (and, on SQLite, its -wal/-shm files). Close the tenant's
 * pool first (`pools.close`); pg uses WITH (FORCE) to end any straggling connection.
 *
 * @example
 * await pools.close(tenant.id);
 * await dropManagedDatabase(config.tenantDatabaseUrl, tenant.id);
 */
export async function dropManagedDatabase(serverUrl: string, tenantId: string): Promise<void> {
  const name = managedDatabaseName(tenantId);
  const { driver } = parseDatabaseUrl(serverUrl);
  switch (driver) {
    case 'pg':
      await withPgClient(serverUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
      );
      return;
    case 'mysql':
      await withMysqlConnection(serverUrl, (connection) =>
        connection.query(`DROP DATABASE IF EXISTS \`${name}\``),
      );
      return;
    case 'sqlite': {
      const file = join(sqliteDir(serverUrl), `${name}.db`);
      for (const path of [file, `${file}-wal`, `${file}-shm`]) rmSync(path, { force: true });
      return;
    }
  }
}

/**
 * True when the tenant's managed database exists.
 *
 * @example
 * if (!(await managedDatabaseExists(url, id))) await ensureManagedDatabase(url, id);
 */
export async function managedDatabaseExists(serverUrl: string, tenantId: string): Promise<boolean> {
  const name = managedDatabaseName(tenantId);
  const { driver } = parseDatabaseUrl(serverUrl);
  switch (driver) {
    case 'pg':
      return withPgClient(serverUrl, async (client) => {
        const found = await client.query('select 1 from pg_database where datname = $1', [name]);
        return found.rowCount !== null && found.rowCount > 0;
      });
    case 'mysql':
      return withMysqlConnection(serverUrl, async (connection) => {
        const [rows] = await connection.query<RowDataPacket[]>(
          'select schema_name from information_schema.schemata where schema_name = ?',
          [name],
        );
        return rows.length > 0;
      });
    case 'sqlite':
      return existsSync(join(sqliteDir(serverUrl), `${name}.db`));
  }
}
