import { POSTGRES_URL } from '@hellojohn/testing';
import { corsSuite } from './cors.suite';
import { startSystemOnServices } from './support/services-system';

/** The same suite on the production shape: `client.*` events carried by RabbitMQ. */
corsSuite('CORS on PostgreSQL and RabbitMQ', () => startSystemOnServices(POSTGRES_URL));
