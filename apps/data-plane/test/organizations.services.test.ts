import { dropManagedDatabase } from '@hellojohn/dal';
import { MYSQL_URL, POSTGRES_URL } from '@hellojohn/testing';
import { organizationsSuite } from './organizations.suite';
import { startDpSystem, type DpSystem } from './support/dp-system';

jest.setTimeout(120_000);

/** The data plane on a real tenant database server; drops every hj_t_ database it made. */
function onServer(serverUrl: string): (env: Record<string, string>) => Promise<DpSystem> {
  return async (env) => {
    const system = await startDpSystem({ ...env, HJ_TENANT_DATABASE_URL: serverUrl });
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

organizationsSuite('organizations on PostgreSQL', onServer(POSTGRES_URL));
organizationsSuite('organizations on MariaDB', onServer(MYSQL_URL));
