/**
 * `npm run bench:provisioning`: how fast tenants go from `POST /v1/tenants` to `active` on
 * PostgreSQL + RabbitMQ, with both planes in this process:
 *   (a) one at a time (10 tenants): the latency of one provisioning with nothing queued;
 *   (b) a burst (100 tenants, 10 creations in flight): tenants provisioned per second, and the
 *       latency each one saw, queueing included;
 *   (c) the reference, in the same run: (a) again on a data plane with `HJ_TENANT_TEMPLATE=false`,
 *       so every database is migrated from empty (the machine is shared: compare within a run).
 * Provisioning one tenant = CREATE DATABASE (a copy of the migrated template, then a `migrate`
 * that finds nothing to do), an Ed25519, an ES256 and an RSA-2048 key (RSA from a pool generated
 * in the background), the default roles, and the answer back to the control plane. Runs on a fresh control-plane database
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
import { generateSigningKeyPair } from '@hellojohn/tokens';
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
import { adminAuth } from './support/control-plane-api';
import { machineFacts } from './support/machine';
import { startProvisioningProbe } from './support/provisioning';
import type { ProvisioningFigures } from './support/provisioning';
import { ADMIN } from './support/start-system';

const SEQUENTIAL = 10;
const BURST = 100;
const BURST_CONCURRENCY = 10;

/**
 * The ceiling of a sustained burst: every tenant needs an RSA-2048 key, and the pool only covers
 * the first few. Key pairs per second with 4 generations in flight (libuv's thread pool), now.
 */
async function rsaKeysPerSecond(keys = 8, inFlight = 4): Promise<number> {
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next++ < keys) await generateSigningKeyPair('RS256');
    }),
  );
  return Number((keys / ((performance.now() - t0) / 1000)).toFixed(2));
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
  let dp = await startDataPlane(config, logger);
  const ids: string[] = [];
  const results: ProvisioningFigures[] = [];
  const probe = await startProvisioningProbe({
    cpUrl: cp.url,
    auth: await adminAuth(cp.url),
    rabbitmqUrl: vhost.url,
    onCreated: (id) => ids.push(id),
  });
  try {
    const run = Date.now().toString(36);
    const phase = (name: string, count: number, concurrency: number) =>
      probe.measure(name, count, concurrency, `bench-${run}-${name.slice(0, 1)}`);
    results.push(await phase('sequential', SEQUENTIAL, 1));
    results.push(
      await phase(`burst of ${BURST}, ${BURST_CONCURRENCY} in flight`, BURST, BURST_CONCURRENCY),
    );
    await dp.close();
    dp = await startDataPlane({ ...config, tenantTemplate: false }, logger);
    results.push(await phase('reference: sequential, no template', SEQUENTIAL, 1));
  } finally {
    await probe.close();
    await dp.close();
    await cp.close();
    for (let i = 0; i < ids.length; i += 8) {
      await Promise.all(ids.slice(i, i + 8).map((id) => dropManagedDatabase(POSTGRES_URL, id)));
    }
    await dropDatabase(POSTGRES_URL, cpName);
    vhost.remove();
    rmSync(dataDir, { recursive: true, force: true });
  }

  const rsaCeiling = await rsaKeysPerSecond();
  const machine = {
    ...machineFacts(),
    loadAverageBefore1m: loadBefore,
    provisioningConcurrency: config.provisioningConcurrency,
  };
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
  process.stdout.write(`ceiling: RSA-2048 key pairs, 4 in flight: ${rsaCeiling} /s\n`);
  process.stdout.write(`machine: ${JSON.stringify(machine)}\n`);
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `provisioning-${new Date().toISOString().slice(0, 10)}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ date: new Date().toISOString(), machine, results, rsaKeysPerSecond: rsaCeiling }, null, 2)}\n`,
  );
  process.stdout.write(`wrote ${file}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
