import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/** How a runner paces itself. Every bound holds per job, so per tenant (one job at a time). */
export interface ImportPacing {
  /** Lines in the first batch; the pacer then grows or shrinks it between the two bounds. */
  batchSize: number;
  minBatchSize: number;
  maxBatchSize: number;
  /**
   * Pause after each batch, at least. It hands the event loop, the tenant's connections and (on
   * SQLite) its write lock to sign-ins between batches.
   */
  pauseMs: number;
  /** The longest pause backing off may reach. */
  maxPauseMs: number;
  /** The rate budget: at most this many lines a second, whatever the signals say. */
  maxLinesPerSecond: number;
  /**
   * The progress floor: at least this many lines a second however strained the signals (a
   * machine busy for other reasons must not stall the job forever).
   */
  minLinesPerSecond: number;
  /**
   * How long the runner measures the machine before a job's first batch: the event loop's p99
   * delay and the tenant database's `select 1` time then are the job's baseline.
   */
  baselineMs: number;
  /**
   * Back off when the event loop's p99 delay since the last batch is more than this above the
   * baseline's (and more than {@link ImportPacing.baselineRatio} times it).
   */
  loopDelayMarginMs: number;
  /**
   * Back off when a `select 1` on the tenant's database took this much longer than at the
   * baseline (and more than {@link ImportPacing.baselineRatio} times as long): what a sign-in's
   * first query is waiting for (a busy pool, a busy server) right now.
   */
  probeMarginMs: number;
  /**
   * A signal must also exceed this multiple of its baseline: on a machine already slow, a margin
   * in milliseconds alone would read its ordinary jitter as strain.
   */
  baselineRatio: number;
  /**
   * Back off when a batch's transaction took longer: long transactions hold the tenant's rows,
   * pool connections and (SQLite) the writer lock that sign-ins need. Absolute: it measures the
   * import's own hold on those, not the machine.
   */
  maxBatchMs: number;
  /** How long a claim lasts without a committed batch; then another runner may take the job. */
  leaseMs: number;
}

export const DEFAULT_IMPORT_PACING: ImportPacing = {
  batchSize: 100,
  minBatchSize: 20,
  maxBatchSize: 250,
  pauseMs: 10,
  maxPauseMs: 1_000,
  maxLinesPerSecond: 2_000,
  minLinesPerSecond: 200,
  baselineMs: 500,
  loopDelayMarginMs: 30,
  probeMarginMs: 25,
  baselineRatio: 2,
  maxBatchMs: 150,
  leaseMs: 60_000,
};

/** What the machine looked like before the job started. */
export interface PaceBaseline {
  /** The event loop's p99 delay over the baseline window. */
  loopDelayMs: number;
  /** The median `select 1` time on the tenant's database over the window. */
  probeMs: number;
}

/** The bounds a job's signals are held to, derived once from its baseline. */
export interface PaceBounds {
  loopDelayMs: number;
  probeMs: number;
  batchMs: number;
}

/** The median of the probes (0 when none): one slow answer in the window does not set the bar. */
function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? 0)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** The baseline from the window's loop p99 and its probe times. */
export function baselineOf(loopDelayMs: number, probesMs: readonly number[]): PaceBaseline {
  return { loopDelayMs: Math.max(0, loopDelayMs), probeMs: Math.max(0, median(probesMs)) };
}

/**
 * A signal strains when it exceeds its baseline both by the margin and by the ratio: an idle
 * machine (baseline near 0) backs off past the margin, a busy one (baseline 40 ms) past twice its
 * baseline, so the import yields to its own load, not to the machine's.
 */
export function boundsOver(baseline: PaceBaseline, limits: ImportPacing): PaceBounds {
  const over = (base: number, margin: number): number =>
    Math.max(base + margin, base * limits.baselineRatio);
  return {
    loopDelayMs: over(baseline.loopDelayMs, limits.loopDelayMarginMs),
    probeMs: over(baseline.probeMs, limits.probeMarginMs),
    batchMs: limits.maxBatchMs,
  };
}

/** The pace of the next batch. */
export interface Pace {
  batchSize: number;
  pauseMs: number;
}

/** What the last batch saw. */
export interface PaceSignals {
  /** Lines the batch wrote. */
  lines: number;
  batchMs: number;
  /** The event loop's p99 delay since the batch before. */
  loopDelayMs: number;
  /** The tenant database's answer time to a trivial query. */
  probeMs: number;
}

/**
 * The next batch's size and the pause before it (additive increase, multiplicative decrease):
 * any signal over its bound halves the batch and doubles the pause, so the import yields within
 * a batch or two when sign-ins need the machine; calm signals grow the batch by a quarter and
 * shrink the pause back toward its floor. The rate budget then stretches the pause if needed,
 * and the progress floor shortens it if needed: the floor wins, so a job always ends.
 */
export function nextPace(
  pace: Pace,
  seen: PaceSignals,
  limits: ImportPacing,
  bounds: PaceBounds,
): Pace {
  const strained =
    seen.loopDelayMs > bounds.loopDelayMs ||
    seen.batchMs > bounds.batchMs ||
    seen.probeMs > bounds.probeMs;
  const next: Pace = strained
    ? {
        batchSize: Math.max(limits.minBatchSize, Math.floor(pace.batchSize / 2)),
        pauseMs: Math.min(limits.maxPauseMs, Math.max(limits.pauseMs, 1, pace.pauseMs) * 2),
      }
    : {
        batchSize: Math.min(limits.maxBatchSize, pace.batchSize + Math.ceil(pace.batchSize / 4)),
        pauseMs: Math.max(limits.pauseMs, Math.floor(pace.pauseMs * 0.75)),
      };
  // At most maxLinesPerSecond: the batch and its pause must last at least lines / rate.
  const budgetMs = (seen.lines * 1000) / limits.maxLinesPerSecond - seen.batchMs;
  next.pauseMs = Math.min(limits.maxPauseMs, Math.max(next.pauseMs, Math.ceil(budgetMs)));
  // At least minLinesPerSecond: the next batch (as long as this one) and its pause may last at
  // most its lines / floor rate.
  const floorMs = (next.batchSize * 1000) / limits.minLinesPerSecond - seen.batchMs;
  next.pauseMs = Math.max(0, Math.min(next.pauseMs, Math.floor(floorMs)));
  return next;
}

/** The event loop's delay, as a p99 over the span since the last read. */
export interface LoopDelayProbe {
  /** The p99 delay (ms) since the last read, then starts a new span. */
  read(): number;
  close(): void;
}

const SAMPLE_MS = 10;

/** Samples the event loop's delay every 10 ms while a job runs (perf_hooks, no timers of ours). */
export function startLoopDelayProbe(): LoopDelayProbe {
  const histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: SAMPLE_MS });
  histogram.enable();
  return {
    read() {
      // In nanoseconds, and each sample includes the sampling interval itself: the delay is
      // what exceeds it. An empty span (no sample yet) reads 0.
      const p99 = histogram.count > 0 ? histogram.percentile(99) / 1e6 : SAMPLE_MS;
      histogram.reset();
      return Math.max(0, p99 - SAMPLE_MS);
    },
    close() {
      histogram.disable();
    },
  };
}

/** Time between two `select 1` probes of the baseline window. */
const BASELINE_PROBE_EVERY_MS = 50;

/**
 * Measures the baseline for `windowMs` before a job's first batch: the loop probe's p99 over the
 * window and a `select 1` every 50 ms (at least one). The job writes nothing meanwhile, so what
 * it sees is the machine's and the database's own load.
 */
export async function measureBaseline(
  windowMs: number,
  loop: LoopDelayProbe,
  ping: () => Promise<void>,
): Promise<PaceBaseline> {
  loop.read();
  const probes: number[] = [];
  const started = performance.now();
  do {
    const sent = performance.now();
    await ping();
    probes.push(performance.now() - sent);
    const left = windowMs - (performance.now() - started);
    if (left > 0) await sleep(Math.min(BASELINE_PROBE_EVERY_MS, left));
  } while (performance.now() - started < windowMs);
  return baselineOf(loop.read(), probes);
}
