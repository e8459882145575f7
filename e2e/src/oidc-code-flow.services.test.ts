import { POSTGRES_URL } from '@hellojohn/testing';
import { oidcCodeFlowSuite } from './oidc-code-flow.suite';
import { startSystemOnServices } from './support/services-system';

const REDIS_URL = process.env.HJ_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * The same suite on the production shape: PostgreSQL for the global and tenant databases,
 * RabbitMQ carrying `client.*` events, Redis holding rate limits and revoked tokens.
 */
oidcCodeFlowSuite('OpenID Connect code flow on PostgreSQL, RabbitMQ and Redis', async () => ({
  system: await startSystemOnServices(POSTGRES_URL, { HJ_REDIS_URL: REDIS_URL }),
  tenantServerUrl: POSTGRES_URL,
}));
