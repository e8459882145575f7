import { randomUUID } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { Client } from 'pg';
import type { DatabaseFactory, ServerFactory } from './fixtures';

const postgresUrl =
  process.env['HJ_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const mysqlUrl = process.env['HJ_TEST_MYSQL_URL'] ?? 'mysql://root@127.0.0.1:3306/mysql';

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

const randomName = (): string => `hj_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;

async function pgAdmin(sql: string): Promise<void> {
  const client = new Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function mysqlAdmin(sql: string): Promise<void> {
  const parsed = new URL(mysqlUrl);
  const connection = await createConnection({
    host: parsed.hostname,
    port: Number(parsed.port || 3306),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
  });
  try {
    await connection.query(sql);
  } finally {
    await connection.end();
  }
}

/** A new PostgreSQL database with a random name, dropped by cleanup. */
export const postgresDatabase: DatabaseFactory = async () => {
  const name = randomName();
  await pgAdmin(`CREATE DATABASE "${name}"`);
  return {
    url: withDatabase(postgresUrl, name),
    cleanup: () => pgAdmin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
};

/** A new MariaDB/MySQL database with a random name, dropped by cleanup. */
export const mysqlDatabase: DatabaseFactory = async () => {
  const name = randomName();
  await mysqlAdmin(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  return {
    url: withDatabase(mysqlUrl, name),
    cleanup: () => mysqlAdmin(`DROP DATABASE IF EXISTS \`${name}\``),
  };
};

/** The real servers as HJ_TENANT_DATABASE_URL; suites drop the hj_t_* databases they make. */
export const postgresServer: ServerFactory = () =>
  Promise.resolve({ serverUrl: postgresUrl, cleanup: () => Promise.resolve() });

export const mysqlServer: ServerFactory = () =>
  Promise.resolve({ serverUrl: mysqlUrl, cleanup: () => Promise.resolve() });
