import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '@hellojohn/config';
import { startControlPlane, type RunningControlPlane } from '@hellojohn/control-plane';
import { createKnex, dropManagedDatabase, managedDatabaseName } from '@hellojohn/dal';
import { startDataPlane, type RunningDataPlane } from '@hellojohn/data-plane';
import { createLogger } from '@hellojohn/http';
import {
  createDatabase,
  createVhost,
  dropDatabase,
  freePort,
  systemEnv,
  POSTGRES_URL,
  uniqueName,
} from '@hellojohn/testing';
import request from 'supertest';

const ADMIN = { email: 'faults@example.com', password: 'correct-horse-battery-staple' };
const ROOT = resolve(__dirname, '../../..');

export interface TenantView {
  id: string;
  slug: string;
  status: string;
  status_reason: string | null;
}

/** The data plane in a child process, to be killed for real. */
export interface ChildDataPlane {
  process: ChildProcess;
  /** SIGKILL, no shutdown hook runs; resolves once the process is gone. */
  kill(): Promise<void>;
}

export interface FaultSystem {
  cp: RunningControlPlane;
  /** The in-process data plane, unless started with `dataPlane: 'child'`. */
  dp: RunningDataPlane | undefined;
  dpUrl: string;
  vhostUrl: string;
  /** HJ_* variables both planes run with. */
  env: Record<string, string>;
  token(): Promise<string>;
  /** POST /v1/tenants; resolves to the id without waiting for provisioning. */
  createTenant(slug: string, body?: Record<string, unknown>): Promise<string>;
  /** Every tenant of this control plane, via the admin API. */
  tenants(): Promise<TenantView[]>;
  /** Waits until every id is active (throws on a failed one, or after `timeoutMs`). */
  waitActive(ids: readonly string[], timeoutMs?: number): Promise<void>;
  /** The hj_t_ databases on the tenant server that belong to tenants of this control plane. */
  managedDatabases(): Promise<string[]>;
  startChildDataPlane(): Promise<ChildDataPlane>;
  close(): Promise<void>;
}

export const rabbitmqctl = (...args: string[]): void => {
  execFileSync('rabbitmqctl', ['-q', ...args], { stdio: 'ignore' });
};

export const sleep = (ms: number): Promise<void> =>
  new Promise((done) => {
    setTimeout(done, ms);
  });

async function pgDatabases(): Promise<string[]> {
  const knex = createKnex(POSTGRES_URL, { poolMax: 1 });
  try {
    const result = await knex.raw<{ rows: Array<{ datname: string }> }>(
      "select datname from pg_database where datname like 'hj_t_%'",
    );
    return result.rows.map((row) => row.datname);
  } finally {
    await knex.destroy();
  }
}

/**
 * The control plane (in this process) on a fresh PostgreSQL database and RabbitMQ vhost, managed
 * tenant databases on the local PostgreSQL, and the data plane in this process or (for kill
 * tests) as a child. `close` drops every hj_t_ database of its tenants, its database and vhost.
 */
export async function startFaultSystem(
  options: { dataPlane: 'in-process' | 'child' } = { dataPlane: 'in-process' },
): Promise<FaultSystem> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hj-faults-'));
  const cpName = uniqueName('hj_faults_cp');
  const cpDbUrl = await createDatabase(POSTGRES_URL, cpName);
  const vhost = createVhost();
  const [cpPort, dpPort] = [await freePort(), await freePort()];
  const env = systemEnv(
    { dataDir, cpPort, dpPort, admin: ADMIN },
    {
      HJ_CP_DATABASE_URL: cpDbUrl,
      HJ_TENANT_DATABASE_URL: POSTGRES_URL,
      HJ_RABBITMQ_URL: vhost.url,
      // Enough pools for a few hundred tenants provisioned in one test.
      HJ_TENANT_POOL_MAX: '50',
    },
  );
  const config = loadConfig(env);
  const logger = createLogger({ name: 'faults', level: config.logLevel });
  const cp = await startControlPlane(config, logger);
  const dp = options.dataPlane === 'in-process' ? await startDataPlane(config, logger) : undefined;
  const children = new Set<ChildProcess>();
  const seen = new Set<string>();
  let token: string | undefined;

  const auth = async (): Promise<string> => {
    if (!token) {
      const res = await request(cp.url).post('/v1/auth/sign-in').send(ADMIN).expect(200);
      token = (res.body as { access_token: string }).access_token;
    }
    return `Bearer ${token}`;
  };

  const system: FaultSystem = {
    cp,
    dp,
    dpUrl: `http://127.0.0.1:${dpPort}`,
    vhostUrl: vhost.url,
    env,
    async token() {
      return (await auth()).slice('Bearer '.length);
    },
    async createTenant(slug, body = {}) {
      const res = await request(cp.url)
        .post('/v1/tenants')
        .set('Authorization', await auth())
        .send({ slug, name: `Tenant ${slug}`, ...body })
        .expect(202);
      const id = (res.body as { id: string }).id;
      seen.add(id);
      return id;
    },
    async tenants() {
      const all: TenantView[] = [];
      let cursor: string | null = null;
      do {
        const res = await request(cp.url)
          .get('/v1/tenants')
          .query({ limit: 100, ...(cursor ? { cursor } : {}) })
          .set('Authorization', await auth())
          .expect(200);
        const page = res.body as { data: TenantView[]; next_cursor: string | null };
        all.push(...page.data);
        cursor = page.next_cursor;
      } while (cursor);
      for (const tenant of all) seen.add(tenant.id);
      return all;
    },
    async waitActive(ids, timeoutMs = 90_000) {
      const deadline = Date.now() + timeoutMs;
      const wanted = new Set(ids);
      for (;;) {
        const tenants = (await system.tenants()).filter((t) => wanted.has(t.id));
        const failed = tenants.find((t) => t.status === 'failed');
        if (failed) throw new Error(`tenant ${failed.slug} failed: ${failed.status_reason ?? ''}`);
        const active = tenants.filter((t) => t.status === 'active').length;
        if (active === wanted.size) return;
        if (Date.now() > deadline) {
          throw new Error(`only ${active} of ${wanted.size} tenants active after ${timeoutMs} ms`);
        }
        await sleep(250);
      }
    },
    async managedDatabases() {
      const ours = new Set([...seen].map((id) => managedDatabaseName(id)));
      return (await pgDatabases()).filter((name) => ours.has(name));
    },
    async startChildDataPlane() {
      // The child reads only these HJ_* variables (loadConfig rejects unknown ones, e.g. HJ_TEST_*).
      const inherited = Object.fromEntries(
        Object.entries(process.env).filter(([key]) => !key.startsWith('HJ_')),
      );
      // Node itself with tsx as a loader: the `tsx` CLI would run the data plane in a grandchild
      // that SIGKILL on the CLI leaves running, so the "crash" would not be one.
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', '--conditions=@hellojohn/source', 'apps/data-plane/src/main.ts'],
        { cwd: ROOT, env: { ...inherited, ...env }, stdio: 'ignore' },
      );
      children.add(child);
      const exited = new Promise<void>((done) => {
        child.once('exit', () => {
          done();
        });
      });
      const deadline = Date.now() + 60_000;
      for (;;) {
        if (child.exitCode !== null) throw new Error('the data plane exited at start-up');
        const up = await fetch(`${system.dpUrl}/healthz`).then(
          (res) => res.ok,
          () => false,
        );
        if (up) break;
        if (Date.now() > deadline) throw new Error('the data plane did not start');
        await sleep(200);
      }
      return {
        process: child,
        async kill() {
          child.kill('SIGKILL');
          await exited;
          children.delete(child);
        },
      };
    },
    async close() {
      for (const child of children) child.kill('SIGKILL');
      await system.tenants().catch(() => undefined);
      await dp?.close();
      await cp.close();
      // A few at a time: DROP DATABASE takes a while each, and hundreds may be waiting.
      const ids = [...seen];
      for (let i = 0; i < ids.length; i += 8) {
        await Promise.all(ids.slice(i, i + 8).map((id) => dropManagedDatabase(POSTGRES_URL, id)));
      }
      await dropDatabase(POSTGRES_URL, cpName);
      vhost.remove();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return system;
}
