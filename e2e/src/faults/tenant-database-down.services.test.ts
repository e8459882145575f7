import { randomBytes } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { createDatabase, dropDatabase, POSTGRES_URL, uniqueName } from '@hellojohn/testing';
import request from 'supertest';
import { startFaultSystem, type FaultSystem } from '../support/fault-system';

/** A TCP relay to PostgreSQL that the test can cut, as if that one database server went down. */
function relayTo(port: number): {
  listen(): Promise<number>;
  cut(): Promise<void>;
  restore(): Promise<void>;
} {
  let server: Server | undefined;
  let listenPort = 0;
  const sockets = new Set<Socket>();
  const start = (): Promise<number> =>
    new Promise((done) => {
      server = createServer((client) => {
        const upstream = connect(port, '127.0.0.1');
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(listenPort, '127.0.0.1', () => {
        const address = server?.address();
        listenPort = typeof address === 'object' && address ? address.port : 0;
        done(listenPort);
      });
    });
  return {
    listen: start,
    async cut() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((done) => {
        if (server) {
          server.close(() => {
            done();
          });
        } else done();
      });
    },
    async restore() {
      await start();
    },
  };
}

/**
 * Issue 4, fault 5: one tenant's database server becomes unreachable (its connections are cut and
 * its port refuses). That tenant answers 503 tenant_unavailable; every other tenant keeps serving;
 * /readyz names it without taking the replica out; and it recovers when the server returns.
 * The machine's PostgreSQL itself is never stopped: the "server" is a relay in front of it.
 */
describe('fault: one tenant database server is unreachable', () => {
  let system: FaultSystem;
  const externalName = uniqueName('hj_ext_down');
  const relay = relayTo(Number(new URL(POSTGRES_URL).port || 5432));

  beforeAll(async () => {
    system = await startFaultSystem();
  });
  afterAll(async () => {
    await relay.cut().catch(() => undefined);
    await system.close();
    await dropDatabase(POSTGRES_URL, externalName);
  }, 120_000);

  const signUp = (tenant: string) =>
    request(system.dpUrl)
      .post('/v1/auth/sign-up')
      .set('X-Tenant-ID', tenant)
      .send({
        email: `u-${randomBytes(4).toString('hex')}@example.com`,
        password: 'a long enough password',
        name: 'Ada',
      });

  it('fails that tenant fast with 503 tenant_unavailable while the others keep serving', async () => {
    const port = await relay.listen();
    const externalUrl = new URL(await createDatabase(POSTGRES_URL, externalName));
    externalUrl.host = `127.0.0.1:${port}`;
    const run = randomBytes(3).toString('hex');
    const down = await system.createTenant(`down-${run}`, {
      database: { mode: 'external', driver: 'pg', dsn: externalUrl.toString() },
    });
    const healthy = await system.createTenant(`healthy-${run}`);
    await system.waitActive([down, healthy], 90_000);
    await signUp(down).expect(201);

    await relay.cut();
    const failed = await signUp(down).expect(503);
    expect(failed.body).toMatchObject({ code: 'tenant_unavailable' });
    expect(failed.headers['retry-after']).toBe('5');
    await signUp(healthy).expect(201);
    const ready = await request(system.dpUrl).get('/readyz').expect(200);
    const databases = (ready.body as { checks: Record<string, { detail?: unknown }> }).checks
      .tenant_databases?.detail as { unavailable: { tenants: Array<{ tenant_id: string }> } };
    expect(databases.unavailable.tenants.map((t) => t.tenant_id)).toContain(down);

    await relay.restore();
    await signUp(down).expect(201);
  }, 180_000);
});
