import { dropManagedDatabase } from '@hellojohn/dal';
import { createControlPlaneServices, deleteRedisKeys, testRedisPrefix } from '@hellojohn/testing';
import { Redis } from 'ioredis';
import { startSystem, type System } from './system';

/**
 * Both planes on the production shape: a fresh PostgreSQL global database, a RabbitMQ vhost of
 * their own, and `tenantServerUrl` as the managed tenant database server; `env` adds variables
 * (e.g. `HJ_REDIS_URL`). `close()` also drops every tenant database created through
 * `createTenant`, the global database and the vhost.
 */
export async function startSystemOnServices(
  tenantServerUrl: string,
  env: Record<string, string> = {},
): Promise<System> {
  const services = await createControlPlaneServices('hj_e2e_cp');
  // On the shared Redis, keys of this run alone (deleted at close).
  const redis = env.HJ_REDIS_URL ? { url: env.HJ_REDIS_URL, prefix: testRedisPrefix() } : undefined;
  const system = await startSystem({
    HJ_CP_DATABASE_URL: services.databaseUrl,
    HJ_TENANT_DATABASE_URL: tenantServerUrl,
    HJ_RABBITMQ_URL: services.rabbitmqUrl,
    ...(redis ? { HJ_REDIS_KEY_PREFIX: redis.prefix } : {}),
    ...env,
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
    for (const id of tenantIds) await dropManagedDatabase(tenantServerUrl, id);
    await services.remove();
    if (redis) {
      const client = new Redis(redis.url);
      await deleteRedisKeys(client, redis.prefix).finally(() => {
        client.disconnect();
      });
    }
  };
  return system;
}
