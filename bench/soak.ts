/**
 * `npm run soak [-- --minutes N --services --rate R]`: both planes in this process under a mixed
 * workload at a bounded rate for N minutes (default 30), sampled every 30 s (every 10 s for runs
 * under 10 minutes): heap after a full GC, RSS, libuv's active resources, the event-loop delay and
 * this process's open connections (PostgreSQL, Redis, RabbitMQ) and SQLite files. The verdict
 * (bench/support/soak-verdict.ts): no error, flat heap and RSS, no growth in handles or
 * connections, events still flowing; exits 1 when it fails.
 *
 * Embedded default (SQLite, in-process bus, in-memory limits) or, with `--services` (or
 * HJ_BENCH_SERVICES=1), PostgreSQL + RabbitMQ + Redis on 127.0.0.1; the databases and the vhost it
 * creates are dropped at the end, also on SIGINT/SIGTERM. The load (bench/support/soak-workload.ts)
 * runs in a child process. Writes bench/results/soak-<N>m[-services]-<date>.json with every
 * sample and the machine facts. What it found: docs/benchmarks.md, "Soak".
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { machineFacts } from './support/machine';
import { startSampler } from './support/soak-sampler';
import { DEFAULT_VERDICT_OPTIONS, soakVerdict } from './support/soak-verdict';
import type { SoakSample } from './support/soak-verdict';
import { runWorkload } from './support/soak-workload';
import type {
  WorkloadCommand,
  WorkloadMessage,
  WorkloadSpec,
  WorkloadStats,
} from './support/soak-workload';
import { startServicesBenchSystem } from './support/services-system';
import { ADMIN, startBenchSystem } from './support/start-system';
import type { BenchSystem } from './support/start-system';

const CHILD_FLAG = '--soak-load-child';
const CLOSE_TIMEOUT_MS = 120_000;

function option(name: string): string | undefined {
  const args = process.argv.slice(2);
  const inline = args.find((arg) => arg.startsWith(`--${name}=`));
  if (inline) return inline.slice(name.length + 3);
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
}

function positive(name: string, fallback: number): number {
  const value = Number(option(name) ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} takes a positive number`);
  return value;
}

async function main(): Promise<void> {
  const minutes = positive('minutes', 30);
  const services = process.argv.includes('--services') || process.env.HJ_BENCH_SERVICES === '1';
  const rate = positive('rate', 30);
  const intervalSeconds = positive('interval', minutes < 10 ? 10 : 30);
  // JIT, caches and pools fill up first: three intervals or a tenth of the run, the longer.
  const warmupSeconds = Math.max(3 * intervalSeconds, minutes * 6);
  const seconds = minutes * 60;
  const loadBefore = machineFacts().loadAverage1m;

  // Signal handlers first: a SIGTERM (CI's `timeout`) during start-up still drops what was made.
  const starting: Promise<BenchSystem & { track?(tenantId: string): void }> = services
    ? startServicesBenchSystem()
    : startBenchSystem();
  // Once, whoever asks first (a signal, or the end of the run); everyone waits for the same close.
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => (closing ??= starting.then((started) => started.close()));
  const running: { child?: ChildProcess } = {};
  const onSignal = (signal: NodeJS.Signals): void => {
    console.error(`\n${signal}: stopping the load and removing what the soak created`);
    running.child?.kill('SIGKILL');
    void close().finally(() => process.exit(1));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const system = await starting;
  const generator = fork(__filename, [CHILD_FLAG], { stdio: 'inherit' });
  running.child = generator;

  const ports = [system.cpUrl, system.dpUrl].map((url) => Number(new URL(url).port));
  const sampler = startSampler(ports);
  const samples: SoakSample[] = [];
  let verdictPass = false;
  try {
    let latest: ((stats: WorkloadStats) => void) | undefined;
    const finished = new Promise<WorkloadStats>((resolve, reject) => {
      generator.on('message', (message: WorkloadMessage) => {
        if (message.type === 'tenant') system.track?.(message.tenantId);
        else if (message.type === 'stats') latest?.(message.stats);
        else if (message.type === 'done') resolve(message.stats);
        else if (message.type === 'failed') reject(new Error(message.error));
      });
      generator.once('exit', (code) => {
        reject(new Error(`the load generator exited (${code ?? 'signal'})`));
      });
    });
    // Awaited later; handled now so a child dying mid-interval is not an unhandled rejection.
    finished.catch(() => undefined);
    const ready = new Promise<void>((resolve) => {
      generator.on('message', (message: WorkloadMessage) => {
        if (message.type === 'ready') resolve();
      });
    });
    const spec: WorkloadSpec = {
      cpUrl: system.cpUrl,
      dpUrl: system.dpUrl,
      admin: ADMIN,
      rate,
      maxInFlight: 16,
      seconds,
      tenantEverySeconds: minutes < 10 ? 20 : 60,
      users: 32,
      clients: 4,
    };
    generator.send({ type: 'start', spec } satisfies WorkloadCommand);
    await Promise.race([ready, finished]);
    const started = Date.now();
    console.log(
      `soak: ${minutes} min at ${rate} operations/s on ${services ? 'PostgreSQL + Redis + RabbitMQ' : 'SQLite (embedded)'}, a sample every ${intervalSeconds} s, warm-up ${warmupSeconds} s`,
    );
    const stats = (): Promise<WorkloadStats> =>
      new Promise<WorkloadStats>((resolve) => {
        latest = resolve;
        generator.send({ type: 'stats' } satisfies WorkloadCommand);
      });
    const take = async (): Promise<void> => {
      // The child's last stats if it has finished (or its failure if it died).
      const load = await Promise.race([stats(), finished]);
      const sample = sampler.sample((Date.now() - started) / 1000, {
        requests: load.requests,
        errors: load.errors,
        webhookDeliveries: load.webhookDeliveries,
      });
      samples.push(sample);
      const conns = Object.entries(sample.connections)
        .map(([kind, count]) => `${kind} ${count}`)
        .join(', ');
      console.log(
        `  t=${String(Math.round(sample.t)).padStart(5)} s  heap ${sample.heapUsedMB.toFixed(1)} MiB  rss ${sample.rssMB.toFixed(1)} MiB  resources ${sample.activeResources}  loop p99 ${sample.eventLoop.p99Ms} ms  requests ${sample.requests}  errors ${sample.errors}  webhooks ${load.webhookDeliveries}  load ${loadavg()[0]?.toFixed(2)}  | ${conns}`,
      );
    };
    await take();
    for (let n = 1; n * intervalSeconds <= seconds; n++) {
      const wait = started + n * intervalSeconds * 1000 - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      await take();
    }
    const result = await finished;
    // Figures first: they are saved even if the shutdown below hangs.
    verdictPass = report({
      result,
      samples,
      loadBefore,
      warmupSeconds,
      minutes,
      services,
      rate,
      intervalSeconds,
    });
  } finally {
    sampler.stop();
    generator.kill();
    // A hang guard, not a figure: a shutdown that does not finish is a finding (and CI's
    // `timeout` would otherwise be the one to say so).
    const closed = await Promise.race([
      close().then(() => true),
      new Promise<false>((resolve) => {
        setTimeout(() => {
          resolve(false);
        }, CLOSE_TIMEOUT_MS).unref();
      }),
    ]);
    if (!closed) {
      console.error(
        `FAIL  shutdown: the planes did not close within ${CLOSE_TIMEOUT_MS / 1000} s (databases and vhost may be left)`,
      );
      process.exit(1);
    }
  }
  if (!verdictPass) process.exitCode = 1;
}

interface ReportInput {
  result: WorkloadStats;
  samples: SoakSample[];
  loadBefore: number;
  warmupSeconds: number;
  minutes: number;
  services: boolean;
  rate: number;
  intervalSeconds: number;
}

/** Prints the run and its verdict, writes the results file; `true` when the verdict passes. */
function report(input: ReportInput): boolean {
  const { result, samples, loadBefore, warmupSeconds, minutes, services, rate, intervalSeconds } =
    input;
  const verdict = soakVerdict(samples, { ...DEFAULT_VERDICT_OPTIONS, warmupSeconds });
  const machine = machineFacts();
  console.log(
    `\n${result.requests} requests, ${result.errors} errors, ${result.skippedTicks} ticks skipped (in-flight cap), ${result.tenantsCycled} tenants created and deleted, ${result.webhookDeliveries} webhook deliveries`,
  );
  const shed = Object.values(result.shed).reduce((sum, count) => sum + count, 0);
  if (shed > 0) console.log(`503 + Retry-After (load shed, sent again): ${shed}`, result.shed);
  const active = result.tenantCycles.map((cycle) => cycle.activeMs).sort((a, b) => a - b);
  if (active.length > 0) {
    console.log(
      `tenant created -> active: median ${active[active.length >> 1]} ms, max ${active.at(-1)} ms`,
    );
  }
  console.log(
    `operations: ${Object.entries(result.operations)
      .map(([name, count]) => `${name} ${count}`)
      .join(', ')}`,
  );
  if (result.errors > 0) {
    console.log('failures:', result.failures);
    for (const line of result.firstFailures) console.log(`  ${line}`);
  }
  for (const check of verdict.checks) {
    console.log(`${check.pass ? 'PASS' : 'FAIL'}  ${check.name}: ${check.detail}`);
  }
  console.log(
    `verdict: ${verdict.pass ? 'PASS' : 'FAIL'} (load average ${loadBefore} before, ${machine.loadAverage1m} after)`,
  );

  const date = new Date().toISOString();
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(
    dir,
    `soak-${minutes}m${services ? '-services' : ''}-${date.slice(0, 10)}.json`,
  );
  writeFileSync(
    file,
    `${JSON.stringify(
      {
        date,
        minutes,
        mode: services ? 'services' : 'embedded',
        rate,
        intervalSeconds,
        warmupSeconds,
        machine: { ...machine, loadAverage1mBefore: loadBefore },
        load: result,
        verdict,
        samples,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`results: ${file}`);
  return verdict.pass;
}

if (process.argv[2] === CHILD_FLAG) {
  // The child: waits for its spec, runs the load, reports and leaves.
  let stopping = false;
  process.on('disconnect', () => {
    stopping = true;
  });
  process.on('message', (command: WorkloadCommand) => {
    if (command.type !== 'start') return;
    const send = (message: WorkloadMessage): void => {
      if (process.connected) process.send?.(message);
    };
    void runWorkload(command.spec, send, () => stopping).then(
      (stats) => {
        send({ type: 'done', stats });
        process.disconnect();
      },
      (error: unknown) => {
        send({ type: 'failed', error: String(error) });
        process.disconnect();
      },
    );
  });
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
