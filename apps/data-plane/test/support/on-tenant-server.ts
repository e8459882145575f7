import { dropManagedDatabase } from '@hellojohn/dal';
import { startDpSystem, type DpSystem } from './dp-system';

/**
 * Starts the data plane on a real tenant database server (the services variants of a suite);
 * `close()` also drops every hj_t_ database it made. `env` adds variables (an SMTP server's).
 */
export function onTenantServer(
  serverUrl: string,
): (env?: Record<string, string>) => Promise<DpSystem> {
  return async (env = {}) => {
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
