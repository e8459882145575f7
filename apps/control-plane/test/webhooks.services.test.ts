import { createControlPlaneServices } from '@hellojohn/testing';
import { mariaDbDatabase } from './support/cp-databases';
import { webhooksSuite } from './webhooks.suite';

webhooksSuite('PostgreSQL, RabbitMQ', async () => {
  const services = await createControlPlaneServices('hj_test_cp_webhooks');
  return {
    databaseUrl: services.databaseUrl,
    rabbitmqUrl: services.rabbitmqUrl,
    cleanup: () => services.remove(),
  };
});
webhooksSuite('MariaDB, in-process bus', mariaDbDatabase('hj_test_cp_webhooks'));
