import { randomBytes } from 'node:crypto';
import { createKnex, managedDatabaseUrl } from '@hellojohn/dal';
import { POSTGRES_URL } from '@hellojohn/testing';
import { sleep, startFaultSystem, type FaultSystem } from '../support/fault-system';

const TENANTS = 12;

async function activeKeysByAlg(tenantId: string): Promise<Record<string, number>> {
  const knex = createKnex(managedDatabaseUrl(POSTGRES_URL, tenantId), { poolMax: 1 });
  try {
    const rows = await knex.raw<{ rows: Array<{ alg: string; n: string }> }>(
      "select alg, count(*) as n from signing_keys where status = 'active' group by alg",
    );
    return Object.fromEntries(rows.rows.map((row) => [row.alg, Number(row.n)]));
  } finally {
    await knex.destroy();
  }
}

/**
 * Issue 4, fault 2: the data plane is SIGKILLed while it provisions. Its unacknowledged messages
 * go back to the queue; the restarted process finishes the interrupted tenants, each with one
 * database and one active key per algorithm.
 */
describe('fault: the data plane is killed during provisioning', () => {
  let system: FaultSystem;

  beforeAll(async () => {
    system = await startFaultSystem({ dataPlane: 'child' });
  });
  afterAll(async () => {
    await system.close();
  }, 120_000);

  it('finishes the interrupted tenants after a restart', async () => {
    const first = await system.startChildDataPlane();
    const run = randomBytes(3).toString('hex');
    const ids = await Promise.all(
      Array.from({ length: TENANTS }, (_, i) => system.createTenant(`crash-${run}-${i}`)),
    );
    // Kill as soon as the first tenant is provisioned: the others are queued or mid-way.
    for (;;) {
      const tenants = await system.tenants();
      if (tenants.some((t) => t.status === 'active')) break;
      await sleep(20);
    }
    await first.kill();
    const atKill = (await system.tenants()).filter((t) => t.status !== 'active');
    expect(atKill.length).toBeGreaterThan(0);

    const second = await system.startChildDataPlane();
    try {
      await system.waitActive(ids, 150_000);
    } finally {
      await second.kill();
    }
    expect(await system.managedDatabases()).toHaveLength(TENANTS);
    for (const id of ids) {
      expect(await activeKeysByAlg(id)).toEqual({ ES256: 1, EdDSA: 1, RS256: 1 });
    }
  }, 240_000);
});
