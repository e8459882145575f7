import { dropManagedDatabase } from '@hellojohn/dal';
import { MYSQL_URL, POSTGRES_URL } from '@hellojohn/testing';
import { startDpSystem, type DpSystem } from './support/dp-system';
import { userImportSuite } from './user-import.suite';

jest.setTimeout(120_000);

/** The data plane on a real tenant database server; drops every hj_t_ database it made. */
function onServer(serverUrl: string): () => Promise<DpSystem> {
  return async () => {
    const system = await startDpSystem({ HJ_TENANT_DATABASE_URL: serverUrl });
    return {
      ...system,
      async close() {
        const ids = system.tenantIds();
        await system.close();
        for (const id of ids) await dropManagedDatabase(serverUrl, id);
      },
    };
  };
}

userImportSuite('user import and export on PostgreSQL', onServer(POSTGRES_URL));
userImportSuite('user import and export on MariaDB', onServer(MYSQL_URL));
