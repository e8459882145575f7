import { dropManagedDatabase } from '@hellojohn/dal';
import { startSystem, type System } from './support/system';
import {
  createDatabase,
  createVhost,
  dropDatabase,
  MYSQL_URL,
  POSTGRES_URL,
  uniqueName,
} from '@hellojohn/testing';
import { walkingSkeletonSuite } from './walking-skeleton.suite';

/**
 * Starts both planes on a fresh PostgreSQL global database and a RabbitMQ vhost of their own,
 * with `tenantServerUrl` as the managed tenant database server; cleans all of it up on close.
 */
async function startOnServices(
  tenantServerUrl: string,
): Promise<{ system: System; tenantServerUrl: string }> {
  const cpName = uniqueName('hj_e2e_cp');
  const cpUrl = await createDatabase(POSTGRES_URL, cpName);
  const vhost = createVhost();
  const system = await startSystem({
    HJ_CP_DATABASE_URL: cpUrl,
    HJ_TENANT_DATABASE_URL: tenantServerUrl,
    HJ_RABBITMQ_URL: vhost.url,
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
    await dropDatabase(POSTGRES_URL, cpName);
    vhost.remove();
  };
  return { system, tenantServerUrl };
}

walkingSkeletonSuite('walking skeleton on PostgreSQL + RabbitMQ', () =>
  startOnServices(POSTGRES_URL),
);
walkingSkeletonSuite('walking skeleton with MariaDB as tenant database server', () =>
  startOnServices(MYSQL_URL),
);
