import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import knex from 'knex';
import type { Knex } from 'knex';
import type { DatabaseDriver } from './url';
import { parseDatabaseUrl } from './url';

/** Pool sizing for {@link createKnex}. */
export interface CreateKnexOptions {
  /** Largest pool (pg/mysql). SQLite always uses one connection: writes are serialised anyway. */
  poolMax?: number;
  /** Connections kept open while idle (pg/mysql); default 0 so idle pools cost nothing. */
  poolMin?: number;
  /**
   * How long a query waits for a pooled connection, and a new connection for its server (pg/mysql),
   * before failing; default knex's 60 s. Tenant pools set it short so one unreachable tenant
   * database fails its requests fast instead of holding them.
   */
  acquireTimeoutMs?: number;
}

function mysqlConnection(
  url: string,
  database: string,
  connectTimeout: number | undefined,
): Knex.MySql2ConnectionConfig {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: parsed.port === '' ? 3306 : Number(parsed.port),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database,
    // DATETIME columns carry no zone: read and write them as UTC so every driver returns the
    // same instant.
    timezone: 'Z',
    charset: 'utf8mb4',
    ...(connectTimeout === undefined ? {} : { connectTimeout }),
  };
}

function sqliteConfig(filename: string): Knex.Config {
  if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
  return {
    client: 'better-sqlite3',
    connection: { filename },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate(conn: Database.Database, done: (err: Error | null, conn: unknown) => void) {
        try {
          // SQLite leaves foreign keys off per connection; WAL lets readers run beside the writer,
          // and busy_timeout makes a second process wait for the write lock instead of failing.
          conn.pragma('foreign_keys = ON');
          conn.pragma('journal_mode = WAL');
          conn.pragma('busy_timeout = 5000');
          done(null, conn);
        } catch (err) {
          done(err instanceof Error ? err : new Error(String(err)), conn);
        }
      },
    },
  };
}

/**
 * Opens a knex instance for a database URL (see {@link parseDatabaseUrl}).
 *
 * @example
 * const db = createKnex('sqlite:./data/control-plane.db');
 * await db.raw('select 1');
 * await db.destroy();
 */
export function createKnex(url: string, options: CreateKnexOptions = {}): Knex {
  const target = parseDatabaseUrl(url);
  const pool = { min: options.poolMin ?? 0, max: options.poolMax ?? 10 };
  const timeout = options.acquireTimeoutMs;
  const acquire = timeout === undefined ? {} : { acquireConnectionTimeout: timeout };
  switch (target.driver) {
    case 'pg':
      return knex({
        client: 'pg',
        connection: {
          connectionString: url,
          ...(timeout === undefined ? {} : { connectionTimeoutMillis: timeout }),
        },
        pool,
        ...acquire,
      });
    case 'mysql':
      return knex({
        client: 'mysql2',
        connection: mysqlConnection(url, target.database ?? '', timeout),
        pool,
        ...acquire,
      });
    case 'sqlite':
      return knex(sqliteConfig(target.filename ?? ''));
  }
}

/** Which of our drivers a knex instance (or transaction) talks to. */
export function driverOf(db: Knex | Knex.Transaction): DatabaseDriver {
  const client: unknown = (db.client as Knex.Client).config.client;
  switch (client) {
    case 'pg':
    case 'postgres':
    case 'postgresql':
      return 'pg';
    case 'mysql':
    case 'mysql2':
      return 'mysql';
    case 'better-sqlite3':
    case 'sqlite3':
      return 'sqlite';
    default:
      throw new Error(`Unsupported knex client "${String(client)}"`);
  }
}
