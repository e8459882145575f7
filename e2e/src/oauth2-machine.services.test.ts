import { dropManagedDatabase } from '@hellojohn/dal';
import {
  createDatabase,
  createVhost,
  dropDatabase,
  POSTGRES_URL,
  uniqueName,
} from '@hellojohn/testing';
import { oauth2MachineSuite } from './oauth2-machine.suite';
import { startSystem } from './support/system';

const REDIS_URL = process.env.HJ_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * The same suite on the production shape: PostgreSQL for the global and tenant databases,
 * RabbitMQ carrying `client.*` events, Redis holding rate limits and revoked tokens.
 */
oauth2MachineSuite('OAuth 2.0 for machines on PostgreSQL, RabbitMQ and Redis', async () => {
  const cpName = uniqueName('hj_e2e_oauth_cp');
  const cpUrl = await createDatabase(POSTGRES_URL, cpName);
  const vhost = createVhost();
  const system = await startSystem({
    HJ_CP_DATABASE_URL: cpUrl,
    HJ_TENANT_DATABASE_URL: POSTGRES_URL,
    HJ_RABBITMQ_URL: vhost.url,
    HJ_REDIS_URL: REDIS_URL,
  });
  const tenantIds: string[] = [];
  const createTenant = system.createTenant.bind(system);
  system.createTenant = async (slug, body) => {
    const tenant = await createTenant(slug, body);
    tenantIds.push(tenant.id);
    return tenant;
  };
  const close = system.close.bind(system);
  system.close = async () => {
    await close();
    for (const id of tenantIds) await dropManagedDatabase(POSTGRES_URL, id);
    await dropDatabase(POSTGRES_URL, cpName);
    vhost.remove();
  };
  return system;
});
