import { randomBytes } from 'node:crypto';
import { createKnex, managedDatabaseUrl } from '@hellojohn/dal';
import { createRabbitMqBus, type EventBus, type EventEnvelope } from '@hellojohn/events';
import { POSTGRES_URL } from '@hellojohn/testing';
import { sleep, startFaultSystem, type FaultSystem } from '../support/fault-system';

const TENANTS = 8;

async function keysOf(tenantId: string): Promise<string[]> {
  const knex = createKnex(managedDatabaseUrl(POSTGRES_URL, tenantId), { poolMax: 1 });
  try {
    const rows = await knex.raw<{ rows: Array<{ alg: string; status: string }> }>(
      'select alg, status from signing_keys',
    );
    return rows.rows.map((row) => `${row.alg}:${row.status}`).sort();
  } finally {
    await knex.destroy();
  }
}

/**
 * Issue 4, fault 3: every tenant.created is delivered twice (a second publish of the very same
 * envelope, as a producer retry or a broker redelivery would). Each tenant still gets one
 * database, migrated once, one active key per algorithm; the data plane answers each delivery.
 */
describe('fault: every provisioning event is delivered twice', () => {
  let system: FaultSystem;
  let bus: EventBus;
  const answers: EventEnvelope[] = [];
  const duplicated = new Set<string>();

  beforeAll(async () => {
    system = await startFaultSystem();
    bus = createRabbitMqBus({ url: system.vhostUrl, connectionName: 'duplicator' });
    await bus.subscribe(
      { name: 'duplicator', mode: 'exclusive', routingKeys: ['tenant.created'] },
      async (event) => {
        // Once per event: the copy comes back here too.
        if (duplicated.has(event.id)) return;
        duplicated.add(event.id);
        await bus.publish(event);
      },
    );
    await bus.subscribe(
      { name: 'answers', mode: 'exclusive', routingKeys: ['tenant.provisioned'] },
      async (event) => {
        answers.push(event);
      },
    );
  });
  afterAll(async () => {
    await bus.close();
    await system.close();
  }, 120_000);

  it('ends in one database and one active key per algorithm per tenant', async () => {
    const run = randomBytes(3).toString('hex');
    const ids = await Promise.all(
      Array.from({ length: TENANTS }, (_, i) => system.createTenant(`twice-${run}-${i}`)),
    );
    await system.waitActive(ids, 120_000);
    // Both deliveries were handled: two answers per tenant, naming the same key (a database
    // is only answered for once claimed, and a claimed database is never made again).
    const deadline = Date.now() + 60_000;
    const answered = (id: string) => answers.filter((a) => a.tenant_id === id);
    while (ids.some((id) => answered(id).length < 2) && Date.now() < deadline) await sleep(100);
    for (const id of ids) {
      const pair = answered(id);
      expect(pair).toHaveLength(2);
      expect(
        new Set(pair.map((a) => (a.data as { signing_key_kid: string }).signing_key_kid)).size,
      ).toBe(1);
      expect(await keysOf(id)).toEqual(['ES256:active', 'EdDSA:active', 'RS256:active']);
    }
    expect(await system.managedDatabases()).toHaveLength(TENANTS);
  }, 200_000);
});
