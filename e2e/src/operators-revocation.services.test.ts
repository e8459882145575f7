import { POSTGRES_URL } from '@hellojohn/testing';
import { operatorRevocationSuite } from './operators-revocation.suite';
import { startSystemOnServices } from './support/services-system';

// Revocation events travel through RabbitMQ here, as deployed.
operatorRevocationSuite('operator revocation reaches the data plane (PostgreSQL + RabbitMQ)', () =>
  startSystemOnServices(POSTGRES_URL),
);
