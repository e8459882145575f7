import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

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
  /** Back off when the event loop's p99 delay since the last batch is above this. */
  maxLoopDelayMs: number;
  /**
   * Back off when a batch's transaction took longer: long transactions hold the tenant's rows,
   * pool connections and (SQLite) the writer lock that sign-ins need.
   */
  maxBatchMs: number;
  /**
   * Back off when a `select 1` on the tenant's database took longer: what a sign-in's first
   * query is waiting for (a busy pool, a busy server) right now.
   */
  maxProbeMs: number;
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
  maxLoopDelayMs: 30,
  maxBatchMs: 150,
  maxProbeMs: 25,
  leaseMs: 60_000,
};

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
export function nextPace(pace: Pace, seen: PaceSignals, limits: ImportPacing): Pace {
  const strained =
    seen.loopDelayMs > limits.maxLoopDelayMs ||
    seen.batchMs > limits.maxBatchMs ||
    seen.probeMs > limits.maxProbeMs;
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
