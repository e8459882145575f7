import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { dlqTools } from '@hellojohn/events';
import amqp from 'amqplib';
import { startFaultSystem, type FaultSystem } from '../support/fault-system';

const ROOT = resolve(__dirname, '../../..');

/**
 * Issue 4, fault 4: messages that are not valid events land in `data-plane.provisioning.dlq` at
 * once, without blocking the queue: a tenant created right after them still provisions. The DLQ
 * command lists them.
 */
describe('fault: a poison message on the provisioning queue', () => {
  let system: FaultSystem;

  beforeAll(async () => {
    system = await startFaultSystem();
  });
  afterAll(async () => {
    await system.close();
  }, 120_000);

  it('is dead-lettered and the queue keeps flowing', async () => {
    const connection = await amqp.connect(system.vhostUrl);
    try {
      const channel = await connection.createConfirmChannel();
      const publish = (body: string): Promise<void> =>
        new Promise((done, fail) => {
          channel.publish(
            'hellojohn.events',
            'tenant.created',
            Buffer.from(body),
            { persistent: true },
            (err) => {
              if (err) fail(err instanceof Error ? err : new Error(String(err)));
              else done();
            },
          );
        });
      await publish('this is not JSON');
      await publish(
        JSON.stringify({
          id: randomUUID(),
          type: 'tenant.created',
          version: 1,
          occurred_at: new Date().toISOString(),
          tenant_id: randomUUID(),
          data: { slug: 'NOT A SLUG' },
        }),
      );
      await channel.close();
    } finally {
      await connection.close();
    }

    const good = await system.createTenant(`after-poison-${randomBytes(3).toString('hex')}`);
    await system.waitActive([good], 60_000);

    const dead = await dlqTools.listDeadLetters(system.vhostUrl, 'data-plane.provisioning');
    expect(dead).toHaveLength(2);
    expect(dead.map((d) => d.raw)).toContain('this is not JSON');
    expect(dead.every((d) => d.event === undefined && d.attempts === 1)).toBe(true);

    // The operator's view of the same queue.
    const env = Object.fromEntries(
      Object.entries({ ...process.env, ...system.env }).filter(
        (entry): entry is [string, string] =>
          typeof entry[1] === 'string' && !entry[0].startsWith('HJ_TEST_'),
      ),
    );
    const { stdout } = await promisify(execFile)(
      resolve(ROOT, 'node_modules/.bin/tsx'),
      ['--conditions=@hellojohn/source', 'apps/data-plane/src/dlq.ts', 'list'],
      { cwd: ROOT, env },
    );
    expect(stdout).toContain('2 message(s) in data-plane.provisioning.dlq');
    expect(stdout).toContain('invalid body: this is not JSON');
  }, 120_000);
});
