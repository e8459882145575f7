import { dropManagedDatabase } from '@hellojohn/dal';
import { createVhost, POSTGRES_URL } from '@hellojohn/testing';
import { mfaSuite } from './mfa.suite';
import { startDpSystem } from './support/dp-system';

jest.setTimeout(120_000);

const REDIS_URL = process.env.HJ_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * MFA in the production shape: tenant databases on PostgreSQL, the lockout counters in Redis,
 * events over RabbitMQ (a virtual host of its own).
 */
mfaSuite('on PostgreSQL + Redis + RabbitMQ', async (env) => {
  const vhost = createVhost();
  const system = await startDpSystem({
    ...env,
    HJ_TENANT_DATABASE_URL: POSTGRES_URL,
    HJ_RABBITMQ_URL: vhost.url,
    HJ_REDIS_URL: REDIS_URL,
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
