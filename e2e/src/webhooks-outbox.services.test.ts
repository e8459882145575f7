import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createKnex, managedDatabaseUrl } from '@hellojohn/dal';
import { eventually, POSTGRES_URL } from '@hellojohn/testing';
import { Redis } from 'ioredis';
import {
  REDIS_URL,
  sleep,
  startOutboxSystem,
  type ChildDataPlane,
  type OutboxSystem,
  type TestWebhook,
} from './webhooks-outbox.system';

/** Unsent rows of the tenant's outbox, read straight from its PostgreSQL database. */
async function unsentEvents(tenantId: string): Promise<Array<{ type: string }>> {
  const knex = createKnex(managedDatabaseUrl(POSTGRES_URL, tenantId), { poolMax: 1 });
  try {
    return await knex<{ type: string }>('outbox').whereNull('sent_at').select('type');
  } finally {
    await knex.destroy();
  }
}

const rabbitmqctl = (...args: string[]): void => {
  execFileSync('rabbitmqctl', ['-q', ...args], { stdio: 'ignore' });
};

/**
 * Issue 14: the data plane's domain events reach a real webhook receiver through the tenant
 * outbox, RabbitMQ and the control plane's dispatcher, with Standard Webhooks signatures checked
 * by the `standardwebhooks` package; none is lost when the data plane is SIGKILLed between its
 * commit and the relay, or while the broker restarts.
 */
describe('webhooks from the data plane outbox (PostgreSQL, RabbitMQ, Redis)', () => {
  let system: OutboxSystem;
  let dp: ChildDataPlane | undefined;
  let redis: Redis;
  const run = randomBytes(3).toString('hex');

  beforeAll(async () => {
    system = await startOutboxSystem();
    dp = await system.startDataPlane();
    redis = new Redis(REDIS_URL);
  }, 120_000);
  afterAll(async () => {
    await dp?.kill();
    redis.disconnect();
    await system.close();
  }, 120_000);

  const deliveredTypes = (hook: TestWebhook, userId: string): string[] =>
    system
      .deliveriesOf(hook)
      .filter((d) => d.data.user_id === userId)
      .map((d) => d.type)
      .sort();

  it('delivers a sign-up as user.created and user.signed_in, signed', async () => {
    const hook = await system.tenantWithWebhook(`wh-sig-${run}`);
    const email = `ada-${run}@example.com`;
    const { userId } = await system.signUp(hook.slug, email);
    await eventually(() => {
      expect(deliveredTypes(hook, userId)).toEqual(['user.created', 'user.signed_in']);
      return Promise.resolve();
    }, 30_000);
    const created = system.deliveriesOf(hook).find((d) => d.type === 'user.created');
    expect(created?.data).toEqual({
      user_id: userId,
      email,
      email_verified: false,
      name: null,
    });
  }, 120_000);

  it('delivers an event committed just before a SIGKILL, once, after the restart', async () => {
    const hook = await system.tenantWithWebhook(`wh-kill-${run}`);
    // Another "relay" holds the tenant's lease: the data plane commits the sign-up and its events
    // but cannot relay them, which is the state a crash between commit and relay leaves behind.
    const leaseKey = `${system.redisKeyPrefix}:outbox:lease:${hook.tenantId}`;
    expect(await redis.set(leaseKey, randomUUID(), 'PX', 60_000, 'NX')).toBe('OK');
    const { userId } = await system.signUp(hook.slug, `kill-${run}@example.com`);
    expect((await unsentEvents(hook.tenantId)).map((e) => e.type).sort()).toEqual([
      'user.created',
      'user.signed_in',
    ]);
    await dp?.kill();
    dp = undefined;
    await redis.del(leaseKey);
    expect(system.deliveriesOf(hook)).toHaveLength(0);

    dp = await system.startDataPlane();
    await eventually(() => {
      expect(deliveredTypes(hook, userId)).toEqual(['user.created', 'user.signed_in']);
      return Promise.resolve();
    }, 30_000);
    await eventually(async () => {
      expect(await unsentEvents(hook.tenantId)).toEqual([]);
    }, 10_000);
    // Nothing more comes later, and each webhook-id arrived exactly once.
    await sleep(2_000);
    const ids = system.deliveriesOf(hook).map((d) => d.webhookId);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
  }, 180_000);

  it('delivers what was committed while RabbitMQ was stopped, once it is back', async () => {
    const hook = await system.tenantWithWebhook(`wh-broker-${run}`);
    const users: string[] = [];
    rabbitmqctl('stop_app');
    try {
      // Sign-ups do not need the broker: their events wait in the tenant's outbox.
      for (let i = 0; i < 3; i += 1) {
        users.push((await system.signUp(hook.slug, `broker-${i}-${run}@example.com`)).userId);
      }
      await sleep(1_500);
    } finally {
      rabbitmqctl('start_app');
    }
    await eventually(() => {
      for (const userId of users) {
        expect(deliveredTypes(hook, userId)).toEqual(['user.created', 'user.signed_in']);
      }
      return Promise.resolve();
    }, 90_000);
    const ids = system.deliveriesOf(hook).map((d) => d.webhookId);
    expect(new Set(ids).size).toBe(ids.length);
  }, 180_000);
});
