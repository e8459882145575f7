import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  createEvent,
  createRabbitMqBus,
  type EventBus,
  type EventEnvelope,
} from '@hellojohn/events';
import { createVhost } from '@hellojohn/testing';
import { startDpSystem, type DpSystem } from './support/dp-system';

jest.setTimeout(120_000);

const QUEUE = 'data-plane.provisioning';
const DLQ = `${QUEUE}.dlq`;
const REASON = 'the tenant database was unreachable';

/**
 * `/v1/admin/ops/dead-letters` on a real RabbitMQ (a vhost of its own). Before the data plane
 * starts, a stand-in consumer on the provisioning subscription fails two events once each, so the
 * bus dead-letters them exactly as it would the data plane's failures. The route then lists them
 * without consuming them or showing their payload, and replays them to the exchange.
 */
describe('the provisioning dead-letter queue over HTTP (RabbitMQ)', () => {
  let vhost: ReturnType<typeof createVhost>;
  let system: DpSystem;
  const tenantId = randomUUID();
  const created = createEvent('tenant.created', tenantId, {
    slug: 'dlq-test',
    name: 'DLQ test',
    issuer: 'http://127.0.0.1/t/dlq-test',
    database: { mode: 'managed' },
    settings: { smtp: { password: 'hunter2-secret' } },
  });
  const rotation = createEvent('tenant.keys.rotation_requested', tenantId, {
    slug: 'dlq-test',
    requested_by: 'cp-admin:s3cret-admin',
  });

  /** Messages in the DLQ as the broker counts them (not through the route under test). */
  const depth = (): number => {
    const out = execFileSync('rabbitmqctl', [
      '-q',
      'list_queues',
      '-p',
      vhostName(),
      'name',
      'messages',
    ])
      .toString()
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .find(([name]) => name === DLQ);
    return Number(out?.[1] ?? 0);
  };
  const vhostName = (): string => decodeURIComponent(new URL(vhost.url).pathname.slice(1));
  async function until(check: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  const get = (token: string, query = '') =>
    fetch(`${system.dp.url}/v1/admin/ops/dead-letters${query}`, {
      headers: { authorization: `Bearer ${token}` },
    });
  const replay = (token: string, body: unknown) =>
    fetch(`${system.dp.url}/v1/admin/ops/dead-letters/replay`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    vhost = createVhost();
    const feeder: EventBus = createRabbitMqBus({ url: vhost.url, connectionName: 'dlq-feeder' });
    const subscription = await feeder.subscribe(
      { name: QUEUE, mode: 'shared', routingKeys: ['tenant.#'], maxAttempts: 1 },
      async function failOnce() {
        throw new Error(REASON);
      },
    );
    await feeder.publish(created);
    await feeder.publish(rotation);
    await until(() => depth() === 2, 'two dead letters');
    await subscription.close();
    await feeder.close();
    system = await startDpSystem({ HJ_RABBITMQ_URL: vhost.url });
  });

  afterAll(async () => {
    await system.close();
    vhost.remove();
  });

  it('lists dead letters without consuming them, and without their payload', async () => {
    const viewer = await system.cpAdminToken('viewer');
    const response = await get(viewer);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: Array<Record<string, unknown>> };
    expect(body).toMatchObject({ mode: 'rabbitmq', queue: DLQ, more: false });
    expect(body.data).toEqual([
      expect.objectContaining({
        valid: true,
        event_id: created.id,
        type: 'tenant.created',
        tenant_id: tenantId,
        attempts: 1,
        reason: REASON,
      }),
      expect.objectContaining({ event_id: rotation.id, type: 'tenant.keys.rotation_requested' }),
    ]);
    const text = JSON.stringify(body);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('s3cret');
    // Read, not consumed; and `limit` bounds the answer.
    expect(depth()).toBe(2);
    const one = (await (await get(viewer, '?limit=1')).json()) as { data: unknown[] };
    expect(one).toMatchObject({ more: true });
    expect(one.data).toHaveLength(1);
  });

  it('refuses operators without a grant on every tenant, and viewers a replay', async () => {
    const narrow = await system.cpAdminToken('owner', {}, { tenants: [tenantId] });
    expect((await get(narrow)).status).toBe(403);
    const viewer = await system.cpAdminToken('viewer');
    expect((await replay(viewer, { confirm: true })).status).toBe(403);
    expect((await get('not-a-token')).status).toBe(401);
  });

  it('replays only with confirm: true, back to the exchange under each original type', async () => {
    const owner = await system.cpAdminToken('owner');
    const refused = await replay(owner, { limit: 1 });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({
      errors: [expect.objectContaining({ path: 'body.confirm' })],
    });

    // A second subscriber on the exchange sees the replayed events arrive.
    const watcher = createRabbitMqBus({ url: vhost.url, connectionName: 'dlq-watcher' });
    const seen: EventEnvelope[] = [];
    await watcher.subscribe(
      { name: 'dlq-watcher', mode: 'exclusive', routingKeys: ['tenant.#'] },
      async (event) => {
        seen.push(event);
      },
    );
    try {
      const response = await replay(owner, { limit: 5, confirm: true });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ mode: 'rabbitmq', replayed: 2 });
      await until(() => seen.length >= 2, 'the replayed events');
      expect(seen.map((event) => event.id).sort()).toEqual([created.id, rotation.id].sort());
      // The data plane handles them this time (a tenant it does not know: skipped), so the
      // dead-letter queue empties.
      await until(() => depth() === 0, 'an empty dead-letter queue');
    } finally {
      await watcher.close();
    }
  });
});
