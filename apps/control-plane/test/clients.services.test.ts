import { randomUUID } from 'node:crypto';
import { createKnex } from '@hellojohn/dal';
import { createDatabase, dropDatabase, MYSQL_URL, uniqueName } from '@hellojohn/testing';
import { clientsSuite } from './clients.suite';

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

clientsSuite('PostgreSQL', async () => {
  const name = `hj_test_cp_clients_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await onServer(`CREATE DATABASE "${name}"`);
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return {
    databaseUrl: url.toString(),
    cleanup: () => onServer(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
});

clientsSuite('MariaDB/MySQL', async () => {
  const name = uniqueName('hj_test_cp_clients');
  const databaseUrl = await createDatabase(MYSQL_URL, name);
  return { databaseUrl, cleanup: () => dropDatabase(MYSQL_URL, name) };
});
