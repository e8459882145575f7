import { randomBytes } from 'node:crypto';
import { rabbitmqctl, sleep, startFaultSystem, type FaultSystem } from '../support/fault-system';

const TENANTS = 200;
const CONCURRENCY = 10;

/**
 * Issue 4, fault 1: RabbitMQ stops while 200 tenants are being created and provisioned. The
 * control plane's outbox holds what it could not publish, the data plane's unacknowledged
 * messages return to the queue, and idempotent provisioning absorbs the redeliveries: every
 * tenant ends active, with exactly one database.
 */
describe('fault: RabbitMQ stops mid-stream while 200 tenants are created', () => {
  let system: FaultSystem;

  beforeAll(async () => {
    system = await startFaultSystem();
  });
  afterAll(async () => {
    await system.close();
  }, 180_000);

  it('ends with all 200 active, one database each, no orphans', async () => {
    const run = randomBytes(3).toString('hex');
    const ids: string[] = [];
    let next = 0;
    let stopped = false;
    let outage: Promise<void> | undefined;
    const worker = async (): Promise<void> => {
      while (next < TENANTS) {
        const i = next++;
        ids.push(await system.createTenant(`outage-${run}-${String(i).padStart(3, '0')}`));
        if (i === Math.floor(TENANTS / 3) && !stopped) {
          stopped = true;
          // Not awaited: tenants keep being created while the broker is away.
          outage = (async () => {
            rabbitmqctl('stop_app');
            try {
              await sleep(4_000);
            } finally {
              rabbitmqctl('start_app');
            }
          })();
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: CONCURRENCY }, () => worker()));
    } finally {
      await outage;
    }
    expect(stopped).toBe(true);
    expect(ids).toHaveLength(TENANTS);

    await system.waitActive(ids, 240_000);
    const tenants = await system.tenants();
    expect(tenants).toHaveLength(TENANTS);
    expect(tenants.every((t) => t.status === 'active')).toBe(true);
    // Database names derive from tenant ids, so one per id means no duplicate; none besides
    // them (among this control plane's tenants) means no orphan.
    const databases = await system.managedDatabases();
    expect(databases).toHaveLength(TENANTS);
    expect(new Set(databases).size).toBe(TENANTS);
    // Generous: 200 databases, migrations and RSA keys take minutes on a small, busy machine.
  }, 300_000);
});
