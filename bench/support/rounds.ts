/**
 * Interleaved measurement: every phase is measured in slices, round after round (forward, then
 * backward, so no phase always follows the same one). A burst of load from elsewhere on a shared
 * machine then falls on all of them alike instead of on whichever phase was running, which keeps
 * the ratios between phases honest. Each phase's slices are merged into one row, with the CPU the
 * servers' process (this one) spent on it.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { mergeSlices } from './http-load';
import type { LoadGenerator, LoadRequest, LoadResult, LoadSpec } from './http-load';

/** An HTTP path the load generator measures; `requests` is made afresh for each slice. */
export interface HttpPhase {
  name: string;
  url: string;
  requests: () => Promise<LoadRequest[]>;
  expect?: string;
  method?: LoadSpec['method'];
  /** Connections for this phase (default: the rounds' `connections`). */
  connections?: number;
  tokens?: LoadSpec['tokens'];
  drainBody?: LoadSpec['drainBody'];
}

/** Work measured in this process (a raw primitive beside the HTTP path it bounds). */
export interface LocalPhase {
  name: string;
  concurrency: number;
  /** One operation; resolves to whether it succeeded. */
  op: () => Promise<boolean>;
}

export type Phase = HttpPhase | LocalPhase;

export interface RoundsOptions {
  rounds: number;
  /** Measured seconds per phase, over all its slices. */
  seconds: number;
  /** Warm-up before a phase's first slice. */
  warmupSeconds: number;
  /** Before each later slice: new keep-alive connections, and the server back on this path. */
  sliceWarmupSeconds: number;
  connections: number;
  /** Source addresses for X-Forwarded-For (see `LoadSpec.addresses`). */
  addresses: number;
  /** When set, each slice is CPU-profiled into this directory (`<prefix>-<phase>.cpuprofile`). */
  profile?: { dir: string; prefix: string };
  /** Called with each round's figures, for progress. */
  onRound?: (round: number, line: string) => void;
}

/** A phase's figures, with the CPU the servers' process used. */
export interface PhaseRow extends LoadResult {
  /** % of one core, all threads (event loop, libuv pool, GC). */
  serverCpuPercent: number;
  /**
   * CPU time per request, µs, all threads: what a request costs whatever else the machine does
   * (throughput, by contrast, drops when another process takes the CPUs).
   */
  serverCpuMicrosPerRequest: number;
}

/** Starts V8's sampling profiler on this process (the servers'). */
async function startProfiler(): Promise<Session> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return session;
}

async function stopProfiler(session: Session, file: string): Promise<void> {
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(file, JSON.stringify(profile));
  session.disconnect();
}

const slugOf = (name: string): string =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** `op` with `concurrency` in flight for `seconds` after `warmupSeconds`, in this process. */
async function runLocal(
  phase: LocalPhase,
  seconds: number,
  warmupSeconds: number,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let unmeasured = 0;
  const loop = async (until: number, measure: boolean): Promise<void> => {
    await Promise.all(
      Array.from({ length: phase.concurrency }, async () => {
        while (performance.now() < until) {
          const begin = performance.now();
          const ok = await phase.op().catch(() => false);
          if (!measure) unmeasured += 1;
          else if (ok) latencies.push(performance.now() - begin);
          else errors += 1;
        }
      }),
    );
  };
  await loop(performance.now() + warmupSeconds * 1000, false);
  const t0 = performance.now();
  await loop(t0 + seconds * 1000, true);
  const elapsed = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (p: number): number =>
    Number(
      (latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)] ?? 0).toFixed(
        3,
      ),
    );
  return {
    name: phase.name,
    ops: latencies.length,
    errors,
    seconds: Number(elapsed.toFixed(3)),
    opsPerSecond: Number((latencies.length / elapsed).toFixed(1)),
    concurrency: phase.concurrency,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    failures: errors > 0 ? { failed: errors } : {},
    // The client is this process: its CPU is in the server's column.
    clientCpuPercent: 0,
    warmupRequests: unmeasured,
    latenciesMs: latencies.map((ms) => Number(ms.toFixed(3))),
  };
}

/** Measures every phase in `options.rounds` interleaved slices; one merged row per phase. */
export async function runRounds(
  load: LoadGenerator,
  phases: readonly Phase[],
  options: RoundsOptions,
): Promise<PhaseRow[]> {
  const slices = new Map<string, { parts: LoadResult[]; cpuMicros: number; wallMs: number }>();
  const sliceSeconds = options.seconds / options.rounds;
  for (let round = 0; round < options.rounds; round++) {
    const order = round % 2 === 0 ? phases : [...phases].reverse();
    const line = new Map<string, string>();
    for (const phase of order) {
      const warmupSeconds = round === 0 ? options.warmupSeconds : options.sliceWarmupSeconds;
      const spec =
        'url' in phase
          ? {
              name: phase.name,
              url: phase.url,
              requests: await phase.requests(),
              ...(phase.expect === undefined ? {} : { expect: phase.expect }),
              ...(phase.method === undefined ? {} : { method: phase.method }),
              ...(phase.tokens === undefined ? {} : { tokens: phase.tokens }),
              ...(phase.drainBody === undefined ? {} : { drainBody: phase.drainBody }),
              connections: phase.connections ?? options.connections,
              seconds: sliceSeconds,
              warmupSeconds,
              addresses: options.addresses,
              keepLatencies: true,
            }
          : undefined;
      const session = options.profile ? await startProfiler() : undefined;
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const part =
        'op' in phase
          ? await runLocal(phase, sliceSeconds, warmupSeconds)
          : await load.run(spec as LoadSpec);
      const cpu = process.cpuUsage(cpu0);
      const entry = slices.get(phase.name) ?? { parts: [], cpuMicros: 0, wallMs: 0 };
      entry.parts.push(part);
      entry.cpuMicros += cpu.user + cpu.system;
      entry.wallMs += performance.now() - t0;
      slices.set(phase.name, entry);
      line.set(
        phase.name,
        `${part.opsPerSecond.toFixed(0)}${part.errors > 0 ? ` (${part.errors} errors)` : ''}`,
      );
      if (session && options.profile) {
        const file = join(
          options.profile.dir,
          `${options.profile.prefix}-${slugOf(phase.name)}-r${round + 1}.cpuprofile`,
        );
        await stopProfiler(session, file);
      }
    }
    const figures = phases.map((phase) => line.get(phase.name) ?? '-').join(', ');
    options.onRound?.(round, `round ${round + 1}/${options.rounds}, ops/s: ${figures}`);
  }
  return phases.map((phase) => {
    const entry = slices.get(phase.name);
    if (!entry) throw new Error(`no slices for ${phase.name}`);
    const merged = mergeSlices(phase.name, entry.parts);
    const requests = merged.ops + merged.errors + merged.warmupRequests;
    return {
      ...merged,
      // Warm-ups included on both sides: this process cannot see when the child starts measuring.
      serverCpuPercent: Math.round(entry.cpuMicros / 10 / entry.wallMs),
      serverCpuMicrosPerRequest: Math.round(entry.cpuMicros / Math.max(1, requests)),
    };
  });
}
