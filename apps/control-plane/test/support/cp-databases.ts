import { randomUUID } from 'node:crypto';
import { createKnex } from '@hellojohn/dal';
import { createDatabase, dropDatabase, MYSQL_URL, uniqueName } from '@hellojohn/testing';

/** Where a suite's control-plane database lives; `cleanup` drops it. */
export type DatabaseSetup = () => Promise<{
  databaseUrl?: string;
  cleanup: () => Promise<void>;
}>;

const postgresUrl =
  process.env['HJ_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function onServer(sql: string): Promise<void> {
  const admin = createKnex(postgresUrl, { poolMax: 1 });
  try {
    await admin.raw(sql);
  } finally {
    await admin.destroy();
  }
}

/** A fresh PostgreSQL database named after `prefix`, dropped by `cleanup`. */
export function postgresDatabase(prefix: string): DatabaseSetup {
  return async () => {
    const name = `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    await onServer(`CREATE DATABASE "${name}"`);
    const url = new URL(postgresUrl);
    url.pathname = `/${name}`;
    return {
      databaseUrl: url.toString(),
      cleanup: () => onServer(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
    };
  };
}

/** A fresh MariaDB/MySQL database named after `prefix`, dropped by `cleanup`. */
export function mariaDbDatabase(prefix: string): DatabaseSetup {
  return async () => {
    const name = uniqueName(prefix);
    const databaseUrl = await createDatabase(MYSQL_URL, name);
    return { databaseUrl, cleanup: () => dropDatabase(MYSQL_URL, name) };
  };
}

/** SQLite in a temp dir (startCpApp's default): no external service needed. */
export const sqliteDatabase: DatabaseSetup = async () => ({ cleanup: () => Promise.resolve() });
