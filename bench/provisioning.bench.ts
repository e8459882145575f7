/**
 * `npm run bench:provisioning`: how fast tenants go from `POST /v1/tenants` to `active` on
 * PostgreSQL + RabbitMQ, with both planes in this process:
 *   (a) one at a time (10 tenants): the latency of one provisioning with nothing queued;
 *   (b) a burst (100 tenants, 10 creations in flight): tenants provisioned per second, and the
 *       latency each one saw, queueing included.
 * Provisioning one tenant = CREATE DATABASE, 14 migrations, an Ed25519 and an RSA-2048 key, the
 * default roles, and the answer back to the control plane. Runs on a fresh control-plane database
 * and RabbitMQ vhost, drops every database it made. Prints a table and writes
 * bench/results/provisioning-<date>.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '@hellojohn/config';
import { startControlPlane } from '@hellojohn/control-plane';
import { dropManagedDatabase } from '@hellojohn/dal';
import { startDataPlane } from '@hellojohn/data-plane';
import { createRabbitMqBus } from '@hellojohn/events';
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
import { machineFacts } from './support/machine';

const ADMIN = { email: 'bench@example.com', password: 'bench-admin-password-1' };
const SEQUENTIAL = 10;
const BURST = 100;
const BURST_CONCURRENCY = 10;

interface PhaseFigures {
  name: string;
  tenants: number;
  failed: number;
  seconds: number;
  tenantsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round(sorted[Math.max(0, index)] ?? 0);
}

async function main(): Promise<void> {
  const loadBefore = machineFacts().loadAverage1m;
  const dataDir = mkdtempSync(join(tmpdir(), 'hj-bench-prov-'));
  const cpName = uniqueName('hj_bench_cp');
  const cpDbUrl = await createDatabase(POSTGRES_URL, cpName);
  const vhost = createVhost();
  const [cpPort, dpPort] = [await freePort(), await freePort()];
  const config = loadConfig(
    systemEnv(
      { dataDir, cpPort, dpPort, admin: ADMIN },
      {
        HJ_CP_DATABASE_URL: cpDbUrl,
        HJ_TENANT_DATABASE_URL: POSTGRES_URL,
        HJ_RABBITMQ_URL: vhost.url,
        // Production's cost, so the figures reflect a real deployment.
        HJ_BCRYPT_COST: '11',
        HJ_TENANT_POOL_MAX: '50',
      },
    ),
  );
  const logger = createLogger({ name: 'bench', level: 'silent' });
  const cp = await startControlPlane(config, logger);
  const dp = await startDataPlane(config, logger);
  const observer = createRabbitMqBus({ url: vhost.url, connectionName: 'bench-observer' });
  const ids: string[] = [];
  const waiting = new Map<string, () => void>();
  const early = new Set<string>();
  await observer.subscribe(
    { name: 'bench-observer', mode: 'exclusive', routingKeys: ['tenant.provisioned'] },
    async (event) => {
      const done = waiting.get(event.tenant_id);
      if (done) done();
      else early.add(event.tenant_id);
    },
  );
  const results: PhaseFigures[] = [];
  try {
    const signIn = await fetch(`${cp.url}/v1/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    const { access_token: token } = (await signIn.json()) as { access_token: string };
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const run = Date.now().toString(36);

    /** Creates one tenant; resolves to ms from the POST to `active` (undefined if it failed). */
    async function provisionOne(slug: string): Promise<number | undefined> {
      const t0 = performance.now();
      const res = await fetch(`${cp.url}/v1/tenants`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ slug, name: slug }),
      });
      if (res.status !== 202) return undefined;
      const { id } = (await res.json()) as { id: string };
      ids.push(id);
      // The answer on the bus says "provisioned"; the control plane then marks it active.
      await new Promise<void>((resolve) => {
        if (early.delete(id)) resolve();
        else waiting.set(id, resolve);
      });
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        const tenant = (await (await fetch(`${cp.url}/v1/tenants/${id}`, { headers })).json()) as {
          status: string;
        };
        if (tenant.status === 'active') return performance.now() - t0;
        if (tenant.status === 'failed') return undefined;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return undefined;
    }

    async function phase(name: string, count: number, concurrency: number): Promise<PhaseFigures> {
      const latencies: number[] = [];
      let failed = 0;
      let next = 0;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < count) {
            const i = next++;
            const ms = await provisionOne(`bench-${run}-${name.slice(0, 1)}${i}`).catch(
              () => undefined,
            );
            if (ms === undefined) failed += 1;
            else latencies.push(ms);
          }
        }),
      );
      const seconds = (performance.now() - t0) / 1000;
      latencies.sort((a, b) => a - b);
      return {
        name,
        tenants: latencies.length,
        failed,
        seconds: Number(seconds.toFixed(1)),
        tenantsPerSecond: Number((latencies.length / seconds).toFixed(2)),
        p50Ms: percentile(latencies, 50),
        p95Ms: percentile(latencies, 95),
        maxMs: Math.round(latencies.at(-1) ?? 0),
      };
    }

    results.push(await phase('sequential', SEQUENTIAL, 1));
    results.push(
      await phase(`burst of ${BURST}, ${BURST_CONCURRENCY} in flight`, BURST, BURST_CONCURRENCY),
    );
  } finally {
    await observer.close();
    await dp.close();
    await cp.close();
    for (let i = 0; i < ids.length; i += 8) {
      await Promise.all(ids.slice(i, i + 8).map((id) => dropManagedDatabase(POSTGRES_URL, id)));
    }
    await dropDatabase(POSTGRES_URL, cpName);
    vhost.remove();
    rmSync(dataDir, { recursive: true, force: true });
  }

  const machine = { ...machineFacts(), loadAverageBefore1m: loadBefore };
  const rows = results.map((r) => [
    r.name,
    `${r.tenants}${r.failed ? ` (+${r.failed} failed)` : ''}`,
    `${r.seconds} s`,
    `${r.tenantsPerSecond} /s`,
    `${r.p50Ms} ms`,
    `${r.p95Ms} ms`,
    `${r.maxMs} ms`,
  ]);
  const header = ['phase', 'tenants', 'time', 'tenants/s', 'p50', 'p95', 'max'];
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  process.stdout.write(
    `Provisioning on PostgreSQL + RabbitMQ (tenant created -> active)\n${line(header)}\n${rows.map(line).join('\n')}\n`,
  );
  process.stdout.write(`machine: ${JSON.stringify(machine)}\n`);
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `provisioning-${new Date().toISOString().slice(0, 10)}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ date: new Date().toISOString(), machine, results }, null, 2)}\n`,
  );
  process.stdout.write(`wrote ${file}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
