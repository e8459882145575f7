/**
 * `npm run bench:user-import -- [--users N] [--services] [--label L]`: imports N users (default 100,000) into
 * one tenant through `POST /v1/admin/users/import` while signing other users in, and records:
 *   - the import rate (lines per second, from the upload to the job's end);
 *   - sign-in latency (p50/p99) before the import and while it runs.
 * Sign-ins run during the upload (its validation happens in the request) and during the job, and
 * the event loop's delay (both planes run in this process) is recorded per phase.
 * Embedded default (SQLite) unless `--services` (PostgreSQL, RabbitMQ, Redis on 127.0.0.1).
 * Prints a table and writes bench/results/user-import[-services][-N][-label]-<date>.json (`-N`
 * only when N is not 100,000); docs/benchmarks.md. The job runs with the data plane's default
 * pacing (a 500 ms baseline, then bounds relative to it).
 * `--users` takes `100000`, `100_000` or `100k`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { machineFacts } from './support/machine';
import { formatTable, runPhase, type PhaseResult } from './support/measure';
import { startServicesBenchSystem } from './support/services-system';
import { ADMIN, startBenchSystem, type BenchSystem } from './support/start-system';

const args = process.argv.slice(2);

/** `--name value` or `--name=value`; undefined when absent. */
function option(name: string): string | undefined {
  const inline = args.find((a) => a.startsWith(`--${name}=`));
  if (inline !== undefined) return inline.slice(name.length + 3);
  const at = args.indexOf(`--${name}`);
  return at === -1 ? undefined : args[at + 1];
}

/** `--users 100000` (also `100k`, `100_000`): a positive whole number, or the bench refuses to run. */
function usersOption(): number {
  const raw = option('users');
  if (raw === undefined) return 100_000;
  const text = raw.replace(/_/g, '').toLowerCase();
  const n = text.endsWith('k') ? Number(text.slice(0, -1)) * 1000 : Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`--users: not a positive whole number: ${raw}`);
  return n;
}

const USERS = usersOption();
const SERVICES = args.includes('--services');
/** `--label before`: a suffix for the results file, so runs of one day do not overwrite each other. */
const LABEL = option('label') ?? '';
const BCRYPT_COST = 10;
const SIGN_IN_USERS = 256;
const PASSWORD = 'bench password that is long enough';
const CONCURRENCY = 4;

let nextAddress = 0;
/** RFC 2544 benchmark addresses, one per request, so per-IP limits do not cap the measurement. */
function clientAddress(): string {
  const n = nextAddress++ % 131_072;
  return `198.${18 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
}

async function call<T>(url: string, init: RequestInit, what: string): Promise<T> {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${what}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const jsonPost = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', 'x-forwarded-for': clientAddress(), ...headers },
  body: JSON.stringify(body),
});

/** Sign-ins at {@link CONCURRENCY} in flight until `stop()` says the import has ended. */
async function whileRunning(
  name: string,
  stop: () => boolean,
  op: (i: number) => Promise<boolean>,
): Promise<PhaseResult> {
  const latencies: number[] = [];
  let started = 0;
  let errors = 0;
  const t0 = performance.now();
  async function worker(): Promise<void> {
    while (!stop()) {
      const begin = performance.now();
      const ok = await op(started++).catch(() => false);
      if (ok) latencies.push(performance.now() - begin);
      else errors += 1;
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, () => worker()));
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (p: number): number =>
    Number((latencies[Math.max(0, Math.ceil((p / 100) * latencies.length) - 1)] ?? 0).toFixed(3));
  return {
    name,
    ops: latencies.length,
    errors,
    seconds,
    opsPerSecond: latencies.length / seconds,
    concurrency: CONCURRENCY,
    p50Ms: at(50),
    p99Ms: at(99),
  };
}

/** The event loop's delay over a phase: p99 and max, in ms (samples every 10 ms, which it includes). */
function loopDelay(): () => { p99Ms: number; maxMs: number } {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  return () => {
    histogram.disable();
    return {
      p99Ms: Number((histogram.percentile(99) / 1e6).toFixed(1)),
      maxMs: Number((histogram.max / 1e6).toFixed(1)),
    };
  };
}

/** One user line with a salted SHA-256 hash (cheap to make, so the file builds in seconds). */
function line(i: number): string {
  const salt = randomBytes(8).toString('hex');
  const hash = createHash('sha256').update(`pw-${i}${salt}`).digest('hex');
  return JSON.stringify({
    email: `imported-${i}@bench.example`,
    name: `Imported ${i}`,
    metadata: { source: 'bench', n: i },
    password_hash: {
      algorithm: 'sha256-salted',
      hash,
      salt,
      params: { hash_encoding: 'hex', salt_encoding: 'utf8' },
    },
  });
}

async function main(): Promise<void> {
  const system: BenchSystem & { track?: (id: string) => void } = SERVICES
    ? await startServicesBenchSystem()
    : await startBenchSystem();
  try {
    const { access_token: admin } = await call<{ access_token: string }>(
      `${system.cpUrl}/v1/auth/sign-in`,
      jsonPost(ADMIN),
      'admin sign-in',
    );
    const auth = { authorization: `Bearer ${admin}` };
    const slug = `import-${randomBytes(3).toString('hex')}`;
    const tenant = await call<{ id: string }>(
      `${system.cpUrl}/v1/tenants`,
      jsonPost({ slug, name: 'Import bench', settings: { bcrypt_cost: BCRYPT_COST } }, auth),
      'create tenant',
    );
    system.track?.(tenant.id);
    for (;;) {
      const t = await call<{ status: string }>(
        `${system.cpUrl}/v1/tenants/${tenant.id}`,
        { headers: auth },
        'get tenant',
      );
      if (t.status === 'active') break;
      if (t.status === 'failed') throw new Error('provisioning failed');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const base = `${system.dpUrl}/t/${slug}/v1`;
    const emails = Array.from({ length: SIGN_IN_USERS }, (_, i) => `signer-${i}@bench.example`);
    for (const email of emails) {
      await call(`${base}/auth/sign-up`, jsonPost({ email, password: PASSWORD }), 'sign-up');
    }
    const signIn = async (i: number): Promise<boolean> => {
      const res = await fetch(
        `${base}/auth/sign-in`,
        jsonPost({ email: emails[i % emails.length], password: PASSWORD }),
      );
      await res.arrayBuffer();
      return res.ok;
    };

    process.stderr.write(`tenant ${slug} ready; measuring idle sign-ins\n`);
    const idleLoop = loopDelay();
    const before = await runPhase(
      `sign-in, idle (bcrypt ${BCRYPT_COST})`,
      { maxSeconds: 8, maxOps: 2000, concurrency: CONCURRENCY },
      signIn,
    );
    const idleDelay = idleLoop();

    const file = Array.from({ length: USERS }, (_, i) => line(i)).join('\n');
    const t0 = performance.now();
    let uploaded = false;
    const uploadLoop = loopDelay();
    const upload = call<{ job_id: string }>(
      `${base}/admin/users/import`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson', ...auth },
        body: file,
      },
      'import',
    ).finally(() => {
      uploaded = true;
    });
    const duringUpload = await whileRunning(
      `sign-in, during the upload (bcrypt ${BCRYPT_COST})`,
      () => uploaded,
      signIn,
    );
    const { job_id: jobId } = await upload;
    const uploadDelay = uploadLoop();
    const uploadSeconds = (performance.now() - t0) / 1000;
    process.stderr.write(`uploaded in ${uploadSeconds.toFixed(1)} s; job ${jobId}\n`);
    let done = false;
    let job: Record<string, unknown> = {};
    let pollAuth = auth;
    const poll = (async () => {
      try {
        while (!done) {
          const url = `${base}/admin/users/import/${jobId}`;
          job = await call<Record<string, unknown>>(url, { headers: pollAuth }, 'job').catch(
            async (error: unknown) => {
              // A slow run outlives the admin token: sign in again, once, and retry.
              if (!String(error).includes('HTTP 401')) throw error;
              const { access_token: fresh } = await call<{ access_token: string }>(
                `${system.cpUrl}/v1/auth/sign-in`,
                jsonPost(ADMIN),
                'admin sign-in',
              );
              pollAuth = { authorization: `Bearer ${fresh}` };
              return call<Record<string, unknown>>(url, { headers: pollAuth }, 'job');
            },
          );
          if (job['status'] === 'succeeded' || job['status'] === 'failed') done = true;
          else await new Promise((resolve) => setTimeout(resolve, 500));
        }
      } finally {
        done = true;
      }
    })();
    const jobLoop = loopDelay();
    const during = await whileRunning(
      `sign-in, during the import (bcrypt ${BCRYPT_COST})`,
      () => done,
      signIn,
    );
    await poll;
    const jobDelay = jobLoop();
    const loop = { idle: idleDelay, upload: uploadDelay, job: jobDelay };
    const importSeconds = (performance.now() - t0) / 1000;
    const rows: PhaseResult[] = [before, duringUpload, during];
    const importRate = USERS / importSeconds;
    process.stdout.write(`${formatTable(rows)}\n`);
    process.stdout.write(
      `event-loop delay (ms, incl. the 10 ms sampling): ${JSON.stringify(loop)}\n`,
    );
    process.stdout.write(
      `import: ${USERS} users in ${importSeconds.toFixed(1)} s (upload + validation ${uploadSeconds.toFixed(1)} s) = ${importRate.toFixed(0)} users/s; job ${JSON.stringify({ status: job['status'], imported: job['imported'], failed: job['failed'] })}\n`,
    );
    const date = new Date().toISOString().slice(0, 10);
    const dir = join(__dirname, 'results');
    mkdirSync(dir, { recursive: true });
    const scale = USERS === 100_000 ? '' : `-${USERS}`;
    const label = LABEL ? `-${LABEL.replace(/[^a-z0-9-]/gi, '')}` : '';
    const file_ = join(
      dir,
      `user-import${SERVICES ? '-services' : ''}${scale}${label}-${date}.json`,
    );
    writeFileSync(
      file_,
      `${JSON.stringify(
        {
          date,
          machine: machineFacts(),
          database: SERVICES ? 'postgresql' : 'sqlite',
          users: USERS,
          importSeconds,
          uploadSeconds,
          usersPerSecond: importRate,
          job,
          phases: rows,
          eventLoopDelay: loop,
        },
        null,
        2,
      )}\n`,
    );
    process.stdout.write(`wrote ${file_}\n`);
  } finally {
    await system.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
