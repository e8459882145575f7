import { dropManagedDatabase } from '@hellojohn/dal';
import { createVhost, POSTGRES_URL } from '@hellojohn/testing';
import { emailFlowsSuite } from './email-flows.suite';
import { startDpSystem } from './support/dp-system';

jest.setTimeout(120_000);

/**
 * The mail flows in the production shape: tenant databases on PostgreSQL, events over RabbitMQ
 * (a virtual host of its own); drops every hj_t_ database and the vhost it made.
 */
emailFlowsSuite('on PostgreSQL + RabbitMQ', async (env) => {
  const vhost = createVhost();
  const system = await startDpSystem({
    ...env,
    HJ_TENANT_DATABASE_URL: POSTGRES_URL,
    HJ_RABBITMQ_URL: vhost.url,
  });
  return {
    ...system,
    async close() {
      const ids = system.tenantIds();
      await system.close();
      for (const id of ids) await dropManagedDatabase(POSTGRES_URL, id);
      vhost.remove();
    },
  };
});
