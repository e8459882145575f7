/**
 * The soak's verdict (`npm run soak`, docs/benchmarks.md "Soak"), computed from the samples alone
 * and pure so a unit test can feed it a leak. No check looks at a duration or a latency: a noisy,
 * shared machine makes those flaky; amounts of memory, counts of handles and connections and
 * counts of errors do not depend on how fast the machine is.
 *
 * The rules, over the samples taken after the warm-up (JIT, caches and pools fill up first):
 * - **errors**: no request answered other than expected, none failed on the wire.
 * - **heap level**: heap used after a full GC, median of the last third minus median of the first
 *   third, at most `bound` = max(`heapFloorMB`, `heapFraction` x the first third's median).
 *   Medians of thirds, not first-vs-last, so one sample taken mid-burst decides nothing.
 * - **heap trend**: the Theil-Sen slope (median of the pairwise slopes: robust to outliers) of
 *   the second half, times the whole post-warm-up span, at most `bound`: a leak that starts late
 *   and the level check would still average away fails here.
 * - **RSS level**: as the heap level, with a looser bound (`rssFloorMB`, `rssFraction`): the
 *   allocator keeps freed pages for a while, but a steady climb is still a leak (buffers, native).
 * - **handles / connections**: for the count of active libuv resources and for each kind of open
 *   connection, median of the last third minus median of the first third at most
 *   max(`countSlack`, 10% of the first third's median).
 * - **events**: when the run counts webhook deliveries, some arrived during the last third.
 * - **samples**: at least `minSamples` after the warm-up, else there is nothing to judge.
 */

export interface SoakSample {
  /** Seconds since the load started. */
  t: number;
  /** `process.memoryUsage().heapUsed` right after `gc()`, MiB. */
  heapUsedMB: number;
  rssMB: number;
  externalMB: number;
  arrayBuffersMB: number;
  /** Used size of each V8 heap space after the GC, MiB (reported, not judged). */
  heapSpacesMB?: Record<string, number>;
  /** `process.getActiveResourcesInfo()` by type, and their total in `activeResources`. */
  resources: Record<string, number>;
  activeResources: number;
  /** Open connections and files of this process by kind (postgres, redis, sqlite files, ...). */
  connections: Record<string, number>;
  /** Event-loop delay over the interval since the previous sample, ms (reported, never judged). */
  eventLoop: { p50Ms: number; p99Ms: number; maxMs: number };
  /** Cumulative, from the load generator. */
  requests: number;
  errors: number;
  /** Cumulative webhook deliveries received, when the run has a receiver. */
  webhookDeliveries?: number;
}

export interface VerdictOptions {
  /** Samples with `t` below this are warm-up and not judged. */
  warmupSeconds: number;
  heapFloorMB: number;
  heapFraction: number;
  rssFloorMB: number;
  rssFraction: number;
  countSlack: number;
  minSamples: number;
}

export const DEFAULT_VERDICT_OPTIONS: Omit<VerdictOptions, 'warmupSeconds'> = {
  heapFloorMB: 8,
  heapFraction: 0.1,
  rssFloorMB: 32,
  rssFraction: 0.25,
  countSlack: 4,
  minSamples: 6,
};

export interface VerdictCheck {
  name: string;
  pass: boolean;
  /** What was measured and against what bound, for people. */
  detail: string;
}

export interface Verdict {
  pass: boolean;
  checks: VerdictCheck[];
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? Number.NaN)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Theil-Sen estimator: the median of the slopes between every pair of points. */
export function theilSenSlope(points: ReadonlyArray<{ x: number; y: number }>): number {
  const slopes: number[] = [];
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const a = points[i];
      const b = points[j];
      if (a && b && b.x !== a.x) slopes.push((b.y - a.y) / (b.x - a.x));
    }
  }
  return slopes.length === 0 ? 0 : median(slopes);
}

const round = (value: number): number => Number(value.toFixed(2));

/** Median of the first third and of the last third of `values` (at least one value each). */
function thirds(values: readonly number[]): { first: number; last: number } {
  const size = Math.max(1, Math.floor(values.length / 3));
  return { first: median(values.slice(0, size)), last: median(values.slice(-size)) };
}

function levelCheck(
  name: string,
  values: readonly number[],
  floor: number,
  fraction: number,
  unit: string,
): VerdictCheck {
  const { first, last } = thirds(values);
  const bound = Math.max(floor, fraction * first);
  const growth = last - first;
  return {
    name,
    pass: growth <= bound,
    detail: `${round(first)} -> ${round(last)} ${unit} (median of first/last third): +${round(growth)} ${unit}, bound ${round(bound)}`,
  };
}

export function soakVerdict(samples: readonly SoakSample[], options: VerdictOptions): Verdict {
  const checks: VerdictCheck[] = [];
  const judged = samples.filter((sample) => sample.t >= options.warmupSeconds);
  const last = samples.at(-1);
  const errors = last?.errors ?? 0;
  checks.push({
    name: 'errors',
    pass: last !== undefined && errors === 0,
    detail: `${errors} unexpected answers or failed requests of ${last?.requests ?? 0}`,
  });
  checks.push({
    name: 'samples',
    pass: judged.length >= options.minSamples,
    detail: `${judged.length} samples after the ${options.warmupSeconds} s warm-up, at least ${options.minSamples}`,
  });
  if (judged.length < options.minSamples) return { pass: false, checks };

  const heap = judged.map((sample) => sample.heapUsedMB);
  const heapCheck = levelCheck(
    'heap level (after GC)',
    heap,
    options.heapFloorMB,
    options.heapFraction,
    'MiB',
  );
  checks.push(heapCheck);

  const bound = Math.max(options.heapFloorMB, options.heapFraction * thirds(heap).first);
  const secondHalf = judged.slice(Math.floor(judged.length / 2));
  const slope = theilSenSlope(secondHalf.map((sample) => ({ x: sample.t, y: sample.heapUsedMB })));
  const span = (judged.at(-1)?.t ?? 0) - (judged[0]?.t ?? 0);
  const projected = slope * span;
  checks.push({
    name: 'heap trend (second half)',
    pass: projected <= bound,
    detail: `Theil-Sen slope ${round(slope * 60)} MiB/min over the second half, x ${round(span)} s = +${round(projected)} MiB, bound ${round(bound)}`,
  });

  checks.push(
    levelCheck(
      'RSS level',
      judged.map((sample) => sample.rssMB),
      options.rssFloorMB,
      options.rssFraction,
      'MiB',
    ),
  );
  checks.push(
    levelCheck(
      'active handles',
      judged.map((sample) => sample.activeResources),
      options.countSlack,
      0.1,
      'resources',
    ),
  );
  const kinds = new Set(judged.flatMap((sample) => Object.keys(sample.connections)));
  for (const kind of [...kinds].sort()) {
    checks.push(
      levelCheck(
        `open ${kind}`,
        judged.map((sample) => sample.connections[kind] ?? 0),
        options.countSlack,
        0.1,
        'open',
      ),
    );
  }

  const deliveries = judged.map((sample) => sample.webhookDeliveries);
  if (deliveries.every((value): value is number => value !== undefined)) {
    const lastThird = deliveries.slice(-Math.max(1, Math.floor(deliveries.length / 3)));
    const before = deliveries[deliveries.length - lastThird.length - 1] ?? lastThird[0] ?? 0;
    const arrived = (lastThird.at(-1) ?? 0) - before;
    checks.push({
      name: 'events flowing',
      pass: arrived > 0,
      detail: `${arrived} webhook deliveries during the last third (${deliveries.at(-1) ?? 0} in all)`,
    });
  }

  return { pass: checks.every((check) => check.pass), checks };
}
