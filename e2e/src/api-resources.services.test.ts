import { POSTGRES_URL } from '@hellojohn/testing';
import { apiResourcesSuite } from './api-resources.suite';
import { startSystemOnServices } from './support/services-system';

/** The same on PostgreSQL with RabbitMQ carrying the `resource.*` events. */
apiResourcesSuite('API resources on PostgreSQL and RabbitMQ', () =>
  startSystemOnServices(POSTGRES_URL),
);
