import { execFileSync } from 'node:child_process';
import { createControlPlaneServices } from '@hellojohn/testing';
import amqp from 'amqplib';
import request from 'supertest';
import { startCpApp } from './support/cp-app';

const rabbitmqctl = (...args: string[]): void => {
  execFileSync('rabbitmqctl', ['-q', ...args], { stdio: 'ignore' });
};

async function waitFor(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 90_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Issue 3: tenants created while RabbitMQ is down are published once the broker returns, each
 * exactly once and in creation order, because the outbox holds them and the relay retries.
 */
describe('outbox relay across a RabbitMQ outage', () => {
  it('publishes all 50 tenant.created events exactly once, in order, after the broker returns', async () => {
    const services = await createControlPlaneServices('hj_cp_outage');
    const cp = await startCpApp(services.databaseUrl, {
      env: { HJ_RABBITMQ_URL: services.rabbitmqUrl },
    });
    const observer = await amqp.connect(services.rabbitmqUrl);
    try {
      const channel = await observer.createChannel();
      await waitFor(async () => cp.deps.bus.isConnected(), 'the control plane bus');
      await channel.assertExchange('hellojohn.events', 'topic', { durable: true });
      await channel.assertQueue('observer', { durable: true });
      await channel.bindQueue('observer', 'hellojohn.events', 'tenant.created');
      await observer.close();

      const token = await cp.token();
      rabbitmqctl('stop_app');
      const ids: string[] = [];
      try {
        await waitFor(
          async () => !cp.deps.bus.isConnected(),
          'the bus to notice the outage',
          30_000,
        );
        for (let i = 0; i < 50; i += 1) {
          const res = await request(cp.app)
            .post('/v1/tenants')
            .set('Authorization', `Bearer ${token}`)
            .send({
              slug: `outage-${String(i).padStart(2, '0')}-${services.name.slice(-6)}`,
              name: `Outage ${i}`,
            })
            .expect(202);
          ids.push((res.body as { id: string }).id);
        }
        expect(await cp.deps.db.outbox.countPending()).toBe(50);
      } finally {
        rabbitmqctl('start_app');
      }

      await waitFor(
        async () => (await cp.deps.db.outbox.countPending()) === 0,
        'the outbox to drain',
      );
      const consumer = await amqp.connect(services.rabbitmqUrl);
      const received: string[] = [];
      try {
        const ch = await consumer.createChannel();
        for (;;) {
          const message = await ch.get('observer', { noAck: true });
          if (!message) break;
          received.push(
            (JSON.parse(message.content.toString()) as { tenant_id: string }).tenant_id,
          );
        }
      } finally {
        await consumer.close();
      }
      expect(received).toEqual(ids);
    } finally {
      await cp.close();
      await services.remove();
    }
  });
});
