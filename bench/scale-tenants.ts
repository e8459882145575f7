/**
 * `npm run bench:scale [-- --tenants N] [--active A] [--seconds S]`: many tenants on one
 * PostgreSQL and one data plane (both planes in this process, RabbitMQ and Redis as in production).
 * Run on demand, never in CI: it makes N databases (default 10,000; capped so that 20 GB of disk
 * stay free, see docs/benchmarks.md, "10,000 tenants").
 *   1. provisions N tenants through the control plane's API, with progress and a rate;
 *   2. signs up one user in each of A of them (default 1,000) and 64 in the first;
 *   3. sign-in, then refresh rotation: on the first tenant alone, then round-robin over the A
 *      tenants, same concurrency and duration; the goal is >= 0.8x the single-tenant figure,
 *      with RSS, the connections PostgreSQL counts (pg_stat_activity), the connection budget's
 *      figures and p99 sampled;
 *   4. `migrate:tenants` over every tenant, timed;
 *   5. drops every database it made, in batches, with progress.
 * Prints a table and writes bench/results/scale-tenants-<N>-<date>.json.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '@hellojohn/config';
import { startControlPlane } from '@hellojohn/control-plane';
import { createKnex, dropManagedDatabase, managedDatabaseName } from '@hellojohn/dal';
import { startDataPlane } from '@hellojohn/data-plane';
import { createLogger } from '@hellojohn/http';
import { createControlPlaneServices, freePort, POSTGRES_URL, systemEnv } from '@hellojohn/testing';
import { machineFacts } from './support/machine';
import { formatTable, runPhase } from './support/measure';
import type { PhaseResult } from './support/measure';
import { ADMIN } from './support/start-system';

const REDIS_URL = process.env.HJ_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const BCRYPT_COST = 10;
const PASSWORD = 'bench password that is long enough';
const SINGLE_USERS = 64;
const CONCURRENCY = 8;
const PROVISION_CONCURRENCY = 16;
// Each DROP DATABASE waits for a checkpoint (PostgreSQL <= 16); concurrent drops share one.
const DROP_BATCH = 32;
/** Disk the run leaves free, whatever N asks. */
const KEEP_FREE_BYTES = 20 * 1024 ** 3;
/** The data plane's budget on the tenant server (HJ_TENANT_DB_MAX_CONNECTIONS) in this run. */
const MAX_CONNECTIONS = 40;

interface Args {
  tenants: number;
  active: number;
  seconds: number;
}

function parseArgs(argv: readonly string[]): Args {
  const value = (name: string, fallback: number): number => {
    const index = argv.indexOf(`--${name}`);
    if (index === -1) return fallback;
    const n = Number(argv[index + 1]);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);
    return n;
  };
  const tenants = value('tenants', 10_000);
  return {
    tenants,
    active: Math.min(value('active', 1_000), tenants),
    seconds: value('seconds', 20),
  };
}

// RFC 2544's benchmark range: each request "from" its own address, as a fleet of users.
let nextAddress = 0;
function clientAddress(): string {
  const n = nextAddress++ % 131_072;
  return `198.${18 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': clientAddress(), ...headers },
    body: JSON.stringify(body),
  });
}

const say = (line: string): void => {
  process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
};

/** What is sampled while a measured phase runs. */
interface Sample {
  rssMiB: number;
  /** Connections PostgreSQL counts to this run's tenant databases (pg_stat_activity). */
  pgTenantConnections: number;
  budgetOpen: number;
  budgetWaiting: number;
  poolsOpen: number;
}

interface PhaseFigures extends PhaseResult {
  peak: Sample;
  refusals: number;
}

function percentOf(part: number, whole: number): number {
  return whole === 0 ? 0 : Number((part / whole).toFixed(2));
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const loadBefore = machineFacts().loadAverage1m;
  const dataDir = mkdtempSync(join(tmpdir(), 'hj-bench-scale-'));
  const services = await createControlPlaneServices('hj_bench_cp');
  const [cpPort, dpPort] = [await freePort(), await freePort()];
  const env = systemEnv(
    { dataDir, cpPort, dpPort, admin: ADMIN },
    {
      HJ_CP_DATABASE_URL: services.databaseUrl,
      HJ_TENANT_DATABASE_URL: POSTGRES_URL,
      HJ_RABBITMQ_URL: services.rabbitmqUrl,
      HJ_REDIS_URL: REDIS_URL,
      HJ_BCRYPT_COST: String(BCRYPT_COST),
      HJ_TENANT_DB_MAX_CONNECTIONS: String(MAX_CONNECTIONS),
    },
  );
  const config = loadConfig(env);
  const logger = createLogger({ name: 'bench', level: 'silent' });
  const cp = await startControlPlane(config, logger);
  const dp = await startDataPlane(config, logger, {
    limitKeyPrefix: `hj-bench-${randomBytes(4).toString('hex')}`,
  });
  // The bench's own look at the server (sizes, pg_stat_activity): one connection.
  const pg = createKnex(POSTGRES_URL, { poolMax: 1 });
  const ids: string[] = [];
  const slugs: string[] = [];
  const run = Date.now().toString(36);
  const report: Record<string, unknown> = { args, maxConnections: MAX_CONNECTIONS };
  const phases: PhaseFigures[] = [];

  // The admin token outlives no long provisioning: one sign-in every 5 minutes, shared by all.
  let token: Promise<string> | undefined;
  let tokenAt = 0;
  const auth = async (): Promise<Record<string, string>> => {
    if (!token || Date.now() - tokenAt > 300_000) {
      tokenAt = Date.now();
      token = post(`${cp.url}/v1/auth/sign-in`, ADMIN).then(async (res) => {
        if (!res.ok) throw new Error(`admin sign-in: HTTP ${res.status}`);
        return ((await res.json()) as { access_token: string }).access_token;
      });
    }
    return { authorization: `Bearer ${await token}` };
  };

  async function provisionOne(slug: string): Promise<boolean> {
    const res = await post(
      `${cp.url}/v1/tenants`,
      { slug, name: slug, settings: { bcrypt_cost: BCRYPT_COST } },
      await auth(),
    );
    if (res.status !== 202 && res.status !== 201) {
      throw new Error(`create tenant: HTTP ${res.status} ${await res.text()}`);
    }
    const { id } = (await res.json()) as { id: string };
    ids.push(id);
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      const got = await fetch(`${cp.url}/v1/tenants/${id}`, { headers: await auth() });
      const { status } = (await got.json()) as { status: string };
      if (status === 'active') {
        slugs.push(slug);
        return true;
      }
      if (status === 'failed') return false;
      await new Promise((resolve) => setTimeout(resolve, 400));
    }
    return false;
  }

  const tenantConnections = async (): Promise<number> => {
    // This run's tenant databases only: others may share the server.
    const names = new Set(ids.map(managedDatabaseName));
    const { rows } = await pg.raw<{ rows: Array<{ datname: string; n: string }> }>(
      "select datname, count(*) as n from pg_stat_activity where datname like 'hj\\_t\\_%' group by datname",
    );
    return rows.reduce((sum, row) => sum + (names.has(row.datname) ? Number(row.n) : 0), 0);
  };
  const sample = async (): Promise<Sample> => {
    const [budget] = dp.deps.pools.connectionStats();
    return {
      rssMiB: Math.round(process.memoryUsage().rss / 1024 ** 2),
      pgTenantConnections: await tenantConnections(),
      budgetOpen: budget?.open ?? 0,
      budgetWaiting: budget?.waiting ?? 0,
      poolsOpen: dp.deps.pools.openCount(),
    };
  };
  const refusals = (): number => dp.deps.pools.connectionStats()[0]?.refusals ?? 0;

  /** Runs a measured phase while sampling every 250 ms; keeps each figure's peak. */
  async function measured(
    name: string,
    op: (i: number, worker: number) => Promise<boolean>,
  ): Promise<PhaseFigures> {
    const refusedBefore = refusals();
    const peak: Sample = {
      rssMiB: 0,
      pgTenantConnections: 0,
      budgetOpen: 0,
      budgetWaiting: 0,
      poolsOpen: 0,
    };
    const sampling = new AbortController();
    const sampler = (async () => {
      while (!sampling.signal.aborted) {
        const now = await sample();
        for (const key of Object.keys(peak) as Array<keyof Sample>) {
          peak[key] = Math.max(peak[key], now[key]);
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();
    const result = await runPhase(
      name,
      { maxSeconds: args.seconds, maxOps: 1_000_000, concurrency: CONCURRENCY },
      op,
    );
    sampling.abort();
    await sampler;
    const figures = { ...result, peak, refusals: refusals() - refusedBefore };
    say(
      `${name}: ${figures.opsPerSecond} /s, p99 ${figures.p99Ms} ms, ${figures.errors} errors, ` +
        `peak ${JSON.stringify(peak)}`,
    );
    phases.push(figures);
    return figures;
  }

  try {
    // 1. Disk: what one tenant database weighs decides how many fit.
    await provisionOne(`scale-${run}-0`);
    const { rows } = await pg.raw<{ rows: Array<{ bytes: string }> }>(
      'select pg_database_size(?) as bytes',
      [managedDatabaseName(ids[0] ?? '')],
    );
    const perDatabase = Number(rows[0]?.bytes ?? 0);
    const disk = statfsSync('/');
    const freeBytes = disk.bavail * disk.bsize;
    const fit = Math.max(1, Math.floor((freeBytes - KEEP_FREE_BYTES) / perDatabase));
    const tenants = Math.min(args.tenants, fit + 1);
    report.disk = {
      perDatabaseMiB: Number((perDatabase / 1024 ** 2).toFixed(2)),
      freeGiB: Number((freeBytes / 1024 ** 3).toFixed(1)),
      keepFreeGiB: KEEP_FREE_BYTES / 1024 ** 3,
      fit: fit + 1,
      cappedByDisk: tenants < args.tenants,
    };
    say(`disk: ${JSON.stringify(report.disk)}; provisioning ${tenants} tenants`);

    // 2. Provisioning, PROVISION_CONCURRENCY in flight.
    let next = 1;
    let failed = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: PROVISION_CONCURRENCY }, async () => {
        while (next < tenants) {
          const i = next++;
          if (!(await provisionOne(`scale-${run}-${i}`))) failed += 1;
          if (i % 100 === 0) {
            const seconds = (performance.now() - t0) / 1000;
            say(
              `provisioned ${slugs.length}/${tenants} (${(slugs.length / seconds).toFixed(1)} /s)`,
            );
          }
        }
      }),
    );
    const provisionSeconds = (performance.now() - t0) / 1000;
    report.provisioning = {
      tenants: slugs.length,
      failed,
      seconds: Number(provisionSeconds.toFixed(1)),
      tenantsPerSecond: Number(((slugs.length - 1) / provisionSeconds).toFixed(2)),
    };
    say(`provisioning: ${JSON.stringify(report.provisioning)}`);
    if (failed > 0) throw new Error(`${failed} tenants failed to provision`);

    // 3. Users: SINGLE_USERS in the first tenant, one in each of the `active` first tenants.
    const activeSlugs = slugs.slice(0, args.active);
    const single = activeSlugs[0] ?? '';
    /** Set-up, not measured: retried (a busy machine answers 503 now and then), never silent. */
    const signUp = async (slug: string, email: string): Promise<string> => {
      for (let attempt = 1; ; attempt++) {
        const res = await post(
          `${dp.url}/v1/auth/sign-up`,
          { email, password: PASSWORD },
          { 'x-tenant-id': slug },
        );
        if (res.ok) return ((await res.json()) as { refresh_token: string }).refresh_token;
        const text = await res.text();
        if (attempt === 5) throw new Error(`sign-up in ${slug}: HTTP ${res.status} ${text}`);
        say(`sign-up in ${slug}: HTTP ${res.status} ${text.slice(0, 200)}; retrying`);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    };
    const singleUsers = Array.from({ length: SINGLE_USERS }, (_, i) => `single${i}@bench.example`);
    const singleTokens: string[] = [];
    const manyTokens: string[] = [];
    const usersSetup = await runPhase(
      'setup: sign-up',
      { maxSeconds: 3_600, maxOps: SINGLE_USERS + activeSlugs.length, concurrency: CONCURRENCY },
      async (i) => {
        if (i < SINGLE_USERS) singleTokens[i] = await signUp(single, singleUsers[i] ?? '');
        else {
          const t = i - SINGLE_USERS;
          manyTokens[t] = await signUp(activeSlugs[t] ?? '', 'user@bench.example');
        }
        return true;
      },
    );
    if (usersSetup.errors > 0) throw new Error(`${usersSetup.errors} sign-ups failed`);
    say(`users: ${usersSetup.ops} signed up in ${usersSetup.seconds} s`);

    // 4. Sign-in and refresh: one tenant, then round-robin over the active ones.
    const signIn = (slug: string, email: string) => async (): Promise<boolean> => {
      const res = await post(
        `${dp.url}/v1/auth/sign-in`,
        { email, password: PASSWORD },
        { 'x-tenant-id': slug },
      );
      await res.arrayBuffer();
      return res.ok;
    };
    const singleSignIn = await measured('sign-in, 1 tenant', (i) =>
      signIn(single, singleUsers[i % SINGLE_USERS] ?? '')(),
    );
    const manySignIn = await measured(`sign-in, ${activeSlugs.length} tenants round-robin`, (i) =>
      signIn(activeSlugs[i % activeSlugs.length] ?? '', 'user@bench.example')(),
    );
    /** Each worker owns every CONCURRENCY-th token, so no token is raced (rotation). */
    const refresh = (slugOf: (user: number) => string, tokens: string[]) => {
      const rounds = new Array<number>(CONCURRENCY).fill(0);
      const owned = Math.floor(tokens.length / CONCURRENCY);
      return async (_i: number, worker: number): Promise<boolean> => {
        const round = rounds[worker] ?? 0;
        rounds[worker] = round + 1;
        const user = worker + CONCURRENCY * (round % owned);
        const res = await post(
          `${dp.url}/v1/auth/refresh`,
          { refresh_token: tokens[user] },
          { 'x-tenant-id': slugOf(user) },
        );
        if (!res.ok) {
          await res.arrayBuffer();
          return false;
        }
        tokens[user] = ((await res.json()) as { refresh_token: string }).refresh_token;
        return true;
      };
    };
    const singleRefresh = await measured(
      'refresh, 1 tenant',
      refresh(() => single, singleTokens),
    );
    const manyRefresh = await measured(
      `refresh, ${activeSlugs.length} tenants round-robin`,
      refresh((user) => activeSlugs[user] ?? '', manyTokens),
    );
    report.ratios = {
      signIn: percentOf(manySignIn.opsPerSecond, singleSignIn.opsPerSecond),
      refresh: percentOf(manyRefresh.opsPerSecond, singleRefresh.opsPerSecond),
      goal: 0.8,
    };
    report.afterLoad = await sample();

    // 5. migrate:tenants over every tenant, as an operator runs it.
    report.migrate = await migrateTenants(env);
  } finally {
    await dp.close();
    await cp.close();
    report.cleanup = await dropAll(ids);
    await pg.destroy();
    await services.remove();
    rmSync(dataDir, { recursive: true, force: true });
  }

  const machine = { ...machineFacts(), loadAverageBefore1m: loadBefore };
  process.stdout.write(`\n${formatTable(phases)}\n`);
  process.stdout.write(`${JSON.stringify({ ...report, machine }, null, 2)}\n`);
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(
    dir,
    `scale-tenants-${String(args.tenants)}-${new Date().toISOString().slice(0, 10)}.json`,
  );
  writeFileSync(
    file,
    `${JSON.stringify({ date: new Date().toISOString(), machine, ...report, phases }, null, 2)}\n`,
  );
  say(`wrote ${file}`);
}

/** Runs `npm run migrate:tenants` on the bench's configuration; keeps its progress and time. */
async function migrateTenants(env: Record<string, string>): Promise<Record<string, unknown>> {
  // The configuration refuses unknown HJ_* variables (this shell's HJ_TEST_* ones).
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('HJ_')),
  );
  const t0 = performance.now();
  let last = '';
  let lines = 0;
  let failedLines = 0;
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(
      join(__dirname, '..', 'node_modules', '.bin', 'tsx'),
      [
        '--conditions=@hellojohn/source',
        join(__dirname, '..', 'apps', 'data-plane', 'src', 'migrate-tenants.ts'),
        '--concurrency',
        '4',
      ],
      { env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      for (const line of parts) {
        lines += 1;
        if (line.includes('FAILED')) failedLines += 1;
        if (line.startsWith('progress:') || line.startsWith('Migrated')) say(`migrate: ${line}`);
        last = line || last;
      }
    });
    child.on('error', reject);
    child.on('exit', resolve);
  });
  return {
    exitCode: code,
    seconds: Number(((performance.now() - t0) / 1000).toFixed(1)),
    summary: last,
    outputLines: lines,
    failed: failedLines,
  };
}

/** Drops every tenant database the run made, DROP_BATCH at a time, with progress. */
async function dropAll(ids: readonly string[]): Promise<Record<string, unknown>> {
  const t0 = performance.now();
  let dropped = 0;
  let failed = 0;
  for (let i = 0; i < ids.length; i += DROP_BATCH) {
    const batch = ids.slice(i, i + DROP_BATCH);
    const results = await Promise.allSettled(
      batch.map((id) => dropManagedDatabase(POSTGRES_URL, id)),
    );
    for (const result of results) {
      if (result.status === 'fulfilled') dropped += 1;
      else failed += 1;
    }
    if ((i / DROP_BATCH) % 5 === 0 || i + DROP_BATCH >= ids.length) {
      say(`cleanup: dropped ${dropped}/${ids.length} tenant databases`);
    }
  }
  return { dropped, failed, seconds: Number(((performance.now() - t0) / 1000).toFixed(1)) };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
