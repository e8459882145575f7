import { MYSQL_URL, POSTGRES_URL } from '@hellojohn/testing';
import { startSystemOnServices } from './support/services-system';
import { walkingSkeletonSuite } from './walking-skeleton.suite';

/** Both planes on a fresh PostgreSQL global database and a RabbitMQ vhost of their own. */
async function startOnServices(tenantServerUrl: string) {
  return { system: await startSystemOnServices(tenantServerUrl), tenantServerUrl };
}

walkingSkeletonSuite('walking skeleton on PostgreSQL + RabbitMQ', () =>
  startOnServices(POSTGRES_URL),
);
walkingSkeletonSuite('walking skeleton with MariaDB as tenant database server', () =>
  startOnServices(MYSQL_URL),
);
