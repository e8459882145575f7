import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createKnex } from '../src/connect';
import { ConnectionBudgetExceededError, createConnectionBudget } from '../src/connection-budget';
import { isConnectionError } from '../src/db-errors';
import {
  dropManagedDatabase,
  ensureManagedDatabase,
  managedDatabaseName,
} from '../src/provisioning/managed';
import { createTenantPools } from '../src/tenant-pools';
import { postgresDatabase } from './support/servers';

const serverUrl =
  process.env['HJ_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const server = `${new URL(serverUrl).hostname}:${new URL(serverUrl).port || '5432'}`;

/** Connections PostgreSQL itself counts to the given databases (the ground truth). */
async function openOnServer(admin: Client, databases: string[]): Promise<number> {
  const { rows } = await admin.query<{ n: string }>(
    'select count(*) as n from pg_stat_activity where datname = any($1)',
    [databases],
  );
  return Number(rows[0]?.n ?? 0);
}

describe('connection budget (PostgreSQL)', () => {
  it('refuses past the wait with a connection error, then serves once a slot frees', async () => {
    const database = await postgresDatabase();
    const budget = createConnectionBudget(1, () => undefined);
    const holder = createKnex(database.url, { poolMax: 2 });
    const other = createKnex(database.url, { poolMax: 2 });
    budget.attach(holder, server, 5_000);
    budget.attach(other, server, 200);
    // The holder keeps its one connection inside a transaction until the test lets it go.
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started = (): void => undefined;
    const inside = new Promise<void>((resolve) => {
      started = resolve;
    });
    const held = holder.transaction(async (trx) => {
      await trx.raw('select 1');
      started();
      await gate;
    });
    try {
      await inside;
      const refused = await other.raw('select 1').then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(ConnectionBudgetExceededError);
      expect(isConnectionError(refused)).toBe(true);
      expect(budget.stats()).toEqual([
        { server, limit: 1, open: 1, inUse: 1, waiting: 0, refusals: 1 },
      ]);
      release();
      await held;
      // Nobody reclaims in this setup: the holder's pool hands its slot back by closing.
      await holder.destroy();
      await expect(other.raw('select 1')).resolves.toBeDefined();
    } finally {
      release();
      await held.catch(() => undefined);
      await Promise.all([holder.destroy(), other.destroy()]);
      await database.cleanup();
    }
  });

  it('lets a queued tenant in while a busy tenant keeps its pool saturated', async () => {
    const database = await postgresDatabase();
    const budget = createConnectionBudget(1, () => undefined);
    const busy = createKnex(database.url, { poolMax: 1 });
    const quiet = createKnex(database.url, { poolMax: 1 });
    budget.attach(busy, server, 10_000);
    budget.attach(quiet, server, 10_000);
    let stop = false;
    // Two loops on a one-connection pool: the busy tenant always has an acquire queued.
    const loops = [0, 1].map(async () => {
      while (!stop) await busy.raw('select pg_sleep(0.005)');
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 100));
      await expect(quiet.raw('select 1')).resolves.toBeDefined();
      expect(budget.stats()[0]?.refusals).toBe(0);
      // Nobody reclaims in this setup: the quiet pool hands its slot back by closing.
      await quiet.destroy();
    } finally {
      stop = true;
      await Promise.all(loops);
      await Promise.all([busy.destroy(), quiet.destroy()]);
      await database.cleanup();
    }
  });

  it('never holds more than the cap across more active tenants than the cap; none starves', async () => {
    const cap = 4;
    const tenants = Array.from({ length: 12 }, () => randomUUID());
    await Promise.all(tenants.map((id) => ensureManagedDatabase(serverUrl, id)));
    const names = tenants.map(managedDatabaseName);
    const pools = createTenantPools({
      serverUrl,
      maxOpen: 100,
      idleMs: 60_000,
      poolMax: 5,
      maxConnectionsPerServer: cap,
      acquireTimeoutMs: 20_000,
    });
    const admin = new Client({ connectionString: serverUrl });
    await admin.connect();
    let peakServer = 0;
    let peakBudget = 0;
    const sampling = new AbortController();
    const sampler = (async () => {
      while (!sampling.signal.aborted) {
        peakServer = Math.max(peakServer, await openOnServer(admin, names));
        peakBudget = Math.max(peakBudget, pools.connectionStats()[0]?.open ?? 0);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    try {
      // 240 requests, 24 in flight, round-robin over the 12 tenants.
      const answers = new Map<string, number>(tenants.map((id) => [id, 0]));
      let next = 0;
      await Promise.all(
        Array.from({ length: 24 }, async () => {
          while (next < 240) {
            const tenantId = tenants[next++ % tenants.length] ?? '';
            const state = await pools.inspect({ tenantId, database: { mode: 'managed' } });
            expect(state).toBe('empty');
            answers.set(tenantId, (answers.get(tenantId) ?? 0) + 1);
          }
        }),
      );
      expect([...answers.values()]).toEqual(tenants.map(() => 20));
      const [stats] = pools.connectionStats();
      expect(stats).toMatchObject({ server, limit: cap, waiting: 0, refusals: 0 });
      expect(peakBudget).toBeLessThanOrEqual(cap);
      expect(peakServer).toBeLessThanOrEqual(cap);
      expect(peakServer).toBeGreaterThan(0);
    } finally {
      sampling.abort();
      await sampler;
      await pools.closeAll();
      await admin.end();
      await Promise.all(tenants.map((id) => dropManagedDatabase(serverUrl, id)));
    }
  });
});
