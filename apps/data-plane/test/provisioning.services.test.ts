import { createKnex } from '@hellojohn/dal';
import {
  createDatabase,
  dropDatabase,
  MYSQL_URL,
  POSTGRES_URL,
  uniqueName,
} from '@hellojohn/testing';
import { provisioningSuite, type ExternalDatabases } from './provisioning.suite';

const asIs = async (url: string) => ({ url, cleanup: async () => undefined });

function externalOn(serverUrl: string, driver: 'pg' | 'mysql', port: number): ExternalDatabases {
  return {
    driver,
    async create() {
      const name = uniqueName('hj_ext');
      const url = await createDatabase(serverUrl, name);
      return { url, cleanup: () => dropDatabase(serverUrl, name) };
    },
    async run(url, sql) {
      const knex = createKnex(url, { poolMax: 1 });
      try {
        await knex.raw(sql);
      } finally {
        await knex.destroy();
      }
    },
    // Port 1 is closed on the test machine: the connection is refused at once.
    unreachableUrl: `${driver === 'pg' ? 'postgres' : 'mysql'}://hj:s3cret-pw@127.0.0.1:1/app_${port}`,
  };
}

provisioningSuite(
  'provisioning on PostgreSQL',
  () => asIs(POSTGRES_URL),
  externalOn(POSTGRES_URL, 'pg', 5432),
);
provisioningSuite(
  'provisioning on MariaDB',
  () => asIs(MYSQL_URL),
  externalOn(MYSQL_URL, 'mysql', 3306),
);
