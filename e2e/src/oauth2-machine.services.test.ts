import { POSTGRES_URL } from '@hellojohn/testing';
import { oauth2MachineSuite } from './oauth2-machine.suite';
import { startSystemOnServices } from './support/services-system';

const REDIS_URL = process.env.HJ_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * The same suite on the production shape: PostgreSQL for the global and tenant databases,
 * RabbitMQ carrying `client.*` events, Redis holding rate limits and revoked tokens.
 */
oauth2MachineSuite('OAuth 2.0 for machines on PostgreSQL, RabbitMQ and Redis', () =>
  startSystemOnServices(POSTGRES_URL, { HJ_REDIS_URL: REDIS_URL }),
);
