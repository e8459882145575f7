import { performance } from 'node:perf_hooks';

export interface PhaseResult {
  name: string;
  /** Operations that succeeded. */
  ops: number;
  /** Operations that failed (non-2xx, or a false verification); never counted as throughput. */
  errors: number;
  seconds: number;
  opsPerSecond: number;
  concurrency: number;
  /** Latency percentiles of successful operations, milliseconds. */
  p50Ms: number;
  p99Ms: number;
}

export interface PhaseLimits {
  /** Stop starting new operations after this long. */
  maxSeconds: number;
  /** Stop starting new operations after this many. */
  maxOps: number;
  concurrency: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Number((sorted[Math.max(0, index)] ?? 0).toFixed(3));
}

/**
 * Runs `op(i)` with at most `concurrency` in flight until the time or count bound is reached;
 * `op` resolves to whether it succeeded.
 */
export async function runPhase(
  name: string,
  limits: PhaseLimits,
  op: (i: number, worker: number) => Promise<boolean>,
): Promise<PhaseResult> {
  const latencies: number[] = [];
  let started = 0;
  let errors = 0;
  const t0 = performance.now();
  const deadline = t0 + limits.maxSeconds * 1000;
  async function worker(id: number): Promise<void> {
    while (started < limits.maxOps && performance.now() < deadline) {
      const i = started++;
      const begin = performance.now();
      const ok = await op(i, id).catch(() => false);
      if (ok) latencies.push(performance.now() - begin);
      else errors += 1;
    }
  }
  await Promise.all(Array.from({ length: limits.concurrency }, (_, id) => worker(id)));
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    name,
    ops: latencies.length,
    errors,
    seconds: Number(seconds.toFixed(3)),
    opsPerSecond: Number((latencies.length / seconds).toFixed(1)),
    concurrency: limits.concurrency,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}

/** A synchronous tight loop (no concurrency to speak of), bounded the same way. */
export function runSyncPhase(
  name: string,
  limits: Omit<PhaseLimits, 'concurrency'>,
  op: (i: number) => boolean,
): PhaseResult {
  let ops = 0;
  let errors = 0;
  const t0 = performance.now();
  const deadline = t0 + limits.maxSeconds * 1000;
  for (let i = 0; i < limits.maxOps && (i % 256 !== 0 || performance.now() < deadline); i++) {
    if (op(i)) ops += 1;
    else errors += 1;
  }
  const seconds = (performance.now() - t0) / 1000;
  const perOpMs = ops > 0 ? (seconds * 1000) / ops : 0;
  return {
    name,
    ops,
    errors,
    seconds: Number(seconds.toFixed(3)),
    opsPerSecond: Number((ops / seconds).toFixed(1)),
    concurrency: 1,
    p50Ms: Number(perOpMs.toFixed(4)),
    p99Ms: Number(perOpMs.toFixed(4)),
  };
}

/** A fixed-width table for the terminal. */
export function formatTable(rows: PhaseResult[]): string {
  const header = ['phase', 'ops/s', 'ops', 'errors', 'conc.', 'p50 ms', 'p99 ms', 'seconds'];
  const body = rows.map((r) => [
    r.name,
    r.opsPerSecond.toFixed(1),
    String(r.ops),
    String(r.errors),
    String(r.concurrency),
    r.p50Ms.toFixed(2),
    r.p99Ms.toFixed(2),
    r.seconds.toFixed(2),
  ]);
  const widths = header.map((h, c) =>
    Math.max(h.length, ...body.map((row) => (row[c] ?? '').length)),
  );
  const line = (cells: string[]): string =>
    cells
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0)))
      .join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
