import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, linkSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import type { Client } from 'pg';
import { createKnex } from '../connect';
import { migrateTenant, TENANT_MIGRATIONS_TABLE, tenantMigrationsFingerprint } from '../migrate';
import { tenantMigrations } from '../migrations/tenant';
import { parseDatabaseUrl, withDatabase } from '../url';
import { hasCode, sqliteDir, withMysqlConnection, withPgClient } from './server-connection';

/*
 * New managed tenant databases are copies of a template: a database migrated once per server and
 * migration set, named after the migration list, so creating a tenant costs a copy instead of
 * every migration. pg copies it with CREATE DATABASE … TEMPLATE; MySQL, which has no templates,
 * replays the template's DDL (SHOW CREATE TABLE) and bookkeeping rows in one batch; SQLite copies
 * the file. Templates are never altered once complete: a new migration names a new one, and the
 * old ones stay for replicas still running the previous release.
 */

/** How long a builder waits for another replica building the same template (MySQL GET_LOCK). */
const MYSQL_TEMPLATE_LOCK_SECONDS = 120;
/** Retries of a pg copy refused because someone is connected to the template (55006). */
const PG_COPY_ATTEMPTS = 5;

interface PgTemplate {
  driver: 'pg';
  name: string;
}

interface MysqlTemplate {
  driver: 'mysql';
  /** The statements that make a database like the template, run after `USE` of it. */
  batch: string;
}

interface SqliteTemplate {
  driver: 'sqlite';
  file: string;
}

type Template = PgTemplate | MysqlTemplate | SqliteTemplate;

/** The template database (SQLite: file stem) of the current tenant migration set. */
function templateName(): string {
  return `hj_tenant_template_${tenantMigrationsFingerprint()}`;
}

const templates = new Map<string, Promise<Template>>();

/** The server's template, built or found once per process (a failed attempt is retried later). */
function templateOf(serverUrl: string): Promise<Template> {
  const key = `${serverUrl}\n${templateName()}`;
  let found = templates.get(key);
  if (found === undefined) {
    found = buildTemplate(serverUrl);
    templates.set(key, found);
    found.catch(() => templates.delete(key));
  }
  return found;
}

/** Forgets a template found gone (dropped by an operator), so the next copy rebuilds it. */
function forgetTemplate(serverUrl: string): void {
  templates.delete(`${serverUrl}\n${templateName()}`);
}

function buildTemplate(serverUrl: string): Promise<Template> {
  const { driver } = parseDatabaseUrl(serverUrl);
  switch (driver) {
    case 'pg':
      return buildPgTemplate(serverUrl);
    case 'mysql':
      return buildMysqlTemplate(serverUrl);
    case 'sqlite':
      return buildSqliteTemplate(serverUrl);
  }
}

async function migrateDatabase(url: string): Promise<void> {
  const knex = createKnex(url, { poolMax: 1 });
  try {
    await migrateTenant(knex);
  } finally {
    await knex.destroy();
  }
}

async function pgDatabaseExists(client: Client, name: string): Promise<boolean> {
  const found = await client.query('select 1 from pg_database where datname = $1', [name]);
  return found.rowCount !== null && found.rowCount > 0;
}

/**
 * pg: built under a temporary name and renamed when complete, so a template that exists is
 * whole; an advisory lock keeps two replicas from building at once (the second finds it built).
 * It then refuses connections, since a copy fails while anyone is connected to its source.
 */
async function buildPgTemplate(serverUrl: string): Promise<PgTemplate> {
  const name = templateName();
  return withPgClient(serverUrl, async (client) => {
    if (await pgDatabaseExists(client, name)) return { driver: 'pg', name };
    const lock = `hellojohn:tenant-template:${name}`;
    await client.query('select pg_advisory_lock(hashtext($1))', [lock]);
    try {
      if (await pgDatabaseExists(client, name)) return { driver: 'pg', name };
      // A build cut short (a crash) is started over: under the lock nobody else is using it.
      const build = `${name}_build`;
      await client.query(`DROP DATABASE IF EXISTS "${build}" WITH (FORCE)`);
      await client.query(`CREATE DATABASE "${build}"`);
      await migrateDatabase(withDatabase(serverUrl, build));
      await client.query(`ALTER DATABASE "${build}" WITH ALLOW_CONNECTIONS false`);
      await client.query(`ALTER DATABASE "${build}" RENAME TO "${name}"`);
      return { driver: 'pg', name };
    } finally {
      await client.query('select pg_advisory_unlock(hashtext($1))', [lock]);
    }
  });
}

async function createFromPgTemplate(
  serverUrl: string,
  name: string,
): Promise<{ created: boolean }> {
  return withPgClient(serverUrl, async (client) => {
    if (await pgDatabaseExists(client, name)) return { created: false };
    for (let attempt = 1; ; attempt += 1) {
      const template = await templateOf(serverUrl);
      if (template.driver !== 'pg') throw new Error('not a PostgreSQL template');
      try {
        // No STRATEGY: 15+ defaults to WAL_LOG, which writes the small template through the WAL;
        // FILE_COPY checkpoints twice per copy and measured 7-15x slower on this schema under
        // load (docs/benchmarks.md, Provisioning). Before 15, FILE_COPY is the only way.
        await client.query(`CREATE DATABASE "${name}" TEMPLATE "${template.name}"`);
        return { created: true };
      } catch (err) {
        // 42P04 duplicate_database; 23505 when two CREATEs race on pg_database's unique index.
        if (hasCode(err, '42P04', '23505')) return { created: false };
        if (attempt >= PG_COPY_ATTEMPTS) throw err;
        // 3D000: the template is gone (an operator dropped it): build it again.
        if (hasCode(err, '3D000')) forgetTemplate(serverUrl);
        // 55006: someone is connected to the template (an operator with ALLOW_CONNECTIONS back
        // on): wait a little for them to leave.
        else if (hasCode(err, '55006')) await new Promise((r) => setTimeout(r, 100 * attempt));
        else throw err;
      }
    }
  });
}

/** True when the MySQL template holds every migration of the current set (a build completed). */
async function mysqlTemplateComplete(connection: Connection, name: string): Promise<boolean> {
  const [tables] = await connection.query<RowDataPacket[]>(
    'select 1 from information_schema.tables where table_schema = ? and table_name = ?',
    [name, TENANT_MIGRATIONS_TABLE],
  );
  if (tables.length === 0) return false;
  const [rows] = await connection.query<RowDataPacket[]>(
    `select count(*) as n from \`${name}\`.\`${TENANT_MIGRATIONS_TABLE}\``,
  );
  return Number(rows[0]?.['n']) === tenantMigrations.length;
}

/**
 * MySQL: the template is a database on the server, built under GET_LOCK. DDL cannot be rolled
 * back there, so completeness is read from its bookkeeping (every migration recorded) and a
 * partial one is rebuilt. Each process then reads its DDL once into a batch.
 */
async function buildMysqlTemplate(serverUrl: string): Promise<MysqlTemplate> {
  const name = templateName();
  return withMysqlConnection(serverUrl, async (connection) => {
    // Lock names are limited to 64 characters: 'hj_template_' + 35 = 47.
    const lock = `hj_template_${name}`;
    const [got] = await connection.query<RowDataPacket[]>('select GET_LOCK(?, ?) as got', [
      lock,
      MYSQL_TEMPLATE_LOCK_SECONDS,
    ]);
    if (got[0]?.['got'] !== 1) throw new Error(`Timed out waiting to build template ${name}`);
    try {
      if (!(await mysqlTemplateComplete(connection, name))) {
        await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
        await connection.query(
          `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`,
        );
        await migrateDatabase(withDatabase(serverUrl, name));
      }
    } finally {
      await connection.query('select RELEASE_LOCK(?)', [lock]);
    }
    const [tables] = await connection.query<RowDataPacket[]>(
      "select table_name as name from information_schema.tables where table_schema = ? and table_type = 'BASE TABLE' order by table_name",
      [name],
    );
    const creates: string[] = [];
    const copies: string[] = [];
    for (const { name: table } of tables as { name: string }[]) {
      const [shown] = await connection.query<RowDataPacket[]>(
        `show create table \`${name}\`.\`${table}\``,
      );
      const ddl: unknown = shown[0]?.['Create Table'];
      if (typeof ddl !== 'string') throw new Error(`no DDL for ${name}.${table}`);
      creates.push(ddl);
      const [rows] = await connection.query<RowDataPacket[]>(
        `select 1 from \`${name}\`.\`${table}\` limit 1`,
      );
      // The bookkeeping rows (migrations, their lock) so `migrate` sees everything applied.
      if (rows.length > 0)
        copies.push(`insert into \`${table}\` select * from \`${name}\`.\`${table}\``);
    }
    // Foreign keys off: the tables are created in name order, not dependency order.
    const batch = [
      'set foreign_key_checks = 0',
      ...creates,
      ...copies,
      'set foreign_key_checks = 1',
    ];
    return { driver: 'mysql', batch: batch.join(';\n') };
  });
}

async function createFromMysqlTemplate(
  serverUrl: string,
  name: string,
): Promise<{ created: boolean }> {
  const template = await templateOf(serverUrl);
  if (template.driver !== 'mysql') throw new Error('not a MySQL template');
  return withMysqlConnection(
    serverUrl,
    async (connection) => {
      const [result] = await connection.query<RowDataPacket[]>(
        'select 1 from information_schema.schemata where schema_name = ?',
        [name],
      );
      if (result.length > 0) return { created: false };
      try {
        await connection.query(
          `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`,
        );
      } catch (err) {
        // ER_DB_CREATE_EXISTS: another caller created it first.
        if (hasCode(err, 'ER_DB_CREATE_EXISTS')) return { created: false };
        throw err;
      }
      // A batch cut short leaves our tables unclaimed: provisioning drops and redoes such a
      // database on its next attempt (see `inspect`).
      await connection.query(`USE \`${name}\``);
      await connection.query(template.batch);
      return { created: true };
    },
    { multipleStatements: true },
  );
}

/**
 * SQLite: a migrated file, built under a unique name and renamed into place (a rename is atomic,
 * and two processes racing build identical files), in rollback-journal mode so the one file is
 * the whole database.
 */
async function buildSqliteTemplateFile(file: string): Promise<void> {
  const build = `${file}.build-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const knex = createKnex(`sqlite:${build}`);
    try {
      await migrateTenant(knex);
      await knex.raw('pragma wal_checkpoint(truncate)');
      await knex.raw('pragma journal_mode = delete');
    } finally {
      await knex.destroy();
    }
    renameSync(build, file);
  } finally {
    for (const path of [build, `${build}-wal`, `${build}-shm`]) rmSync(path, { force: true });
  }
}

async function buildSqliteTemplate(serverUrl: string): Promise<SqliteTemplate> {
  const dir = sqliteDir(serverUrl);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${templateName()}.db`);
  if (!existsSync(file)) await buildSqliteTemplateFile(file);
  return { driver: 'sqlite', file };
}

async function createFromSqliteTemplate(
  serverUrl: string,
  name: string,
): Promise<{ created: boolean }> {
  const target = join(sqliteDir(serverUrl), `${name}.db`);
  if (existsSync(target)) return { created: false };
  let template = await templateOf(serverUrl);
  if (template.driver === 'sqlite' && !existsSync(template.file)) {
    // Deleted since this process found it: build it again.
    forgetTemplate(serverUrl);
    template = await templateOf(serverUrl);
  }
  if (template.driver !== 'sqlite') throw new Error('not a SQLite template');
  // Copied under a temporary name, then linked into place: the link fails if the tenant's file
  // exists (exactly one creator), and a copy cut short never carries the tenant's name.
  const copy = `${target}.copy-${randomBytes(4).toString('hex')}`;
  try {
    copyFileSync(template.file, copy);
    linkSync(copy, target);
    return { created: true };
  } catch (err) {
    if (hasCode(err, 'EEXIST')) return { created: false };
    throw err;
  } finally {
    rmSync(copy, { force: true });
  }
}

/**
 * Creates managed database `name` as a copy of the current template (built first if missing).
 * `created: false` when it already exists.
 *
 * @example
 * await createFromTemplate('postgres://hj@db/postgres', 'hj_t_…');
 */
export function createFromTemplate(serverUrl: string, name: string): Promise<{ created: boolean }> {
  const { driver } = parseDatabaseUrl(serverUrl);
  switch (driver) {
    case 'pg':
      return createFromPgTemplate(serverUrl, name);
    case 'mysql':
      return createFromMysqlTemplate(serverUrl, name);
    case 'sqlite':
      return createFromSqliteTemplate(serverUrl, name);
  }
}
