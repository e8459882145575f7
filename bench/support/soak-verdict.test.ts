import { DEFAULT_VERDICT_OPTIONS, median, soakVerdict, theilSenSlope } from './soak-verdict';
import type { SoakSample, VerdictOptions } from './soak-verdict';

const OPTIONS: VerdictOptions = { ...DEFAULT_VERDICT_OPTIONS, warmupSeconds: 30 };

/** A deterministic wobble in [-1, 1] (no Math.random: the test must not flake). */
const wobble = (i: number): number => Math.sin(i * 12.9898) * 0.999;

/** 31 samples 10 s apart (t = 0..300): flat around 100 MiB heap, 200 MiB RSS, 40 handles. */
function run(change: (sample: SoakSample, i: number) => Partial<SoakSample> = () => ({})) {
  return Array.from({ length: 31 }, (_, i): SoakSample => {
    const sample: SoakSample = {
      t: i * 10,
      heapUsedMB: 100 + 1.5 * wobble(i),
      rssMB: 200 + 6 * wobble(i + 1),
      externalMB: 3,
      arrayBuffersMB: 1,
      resources: { TCPSocketWrap: 30, Timeout: 10 },
      activeResources: 40 + Math.round(2 * wobble(i + 2)),
      connections: { postgres: 6, redis: 1 },
      eventLoop: { p50Ms: 10, p99Ms: 30, maxMs: 80 },
      requests: i * 300,
      errors: 0,
      webhookDeliveries: i * 20,
    };
    return { ...sample, ...change(sample, i) };
  });
}

const failed = (samples: SoakSample[]): string[] =>
  soakVerdict(samples, OPTIONS)
    .checks.filter((check) => !check.pass)
    .map((check) => check.name);

describe('soak verdict', () => {
  it('passes a flat, noisy run with no error', () => {
    const verdict = soakVerdict(run(), OPTIONS);
    expect(verdict.checks.filter((check) => !check.pass)).toEqual([]);
    expect(verdict.pass).toBe(true);
  });

  it('ignores the warm-up, where memory and handles still climb', () => {
    const samples = run((s) => (s.t < 30 ? { heapUsedMB: 40, activeResources: 5 } : {}));
    expect(failed(samples)).toEqual([]);
  });

  it('fails on a single unexpected answer', () => {
    expect(failed(run((_s, i) => (i === 30 ? { errors: 1 } : {})))).toEqual(['errors']);
  });

  it('fails a steady heap leak of 6 MiB/min, and lets 0.6 MiB/min pass on a 5-minute run', () => {
    const leak = run((s) => ({ heapUsedMB: s.heapUsedMB + (1 * s.t) / 10 }));
    expect(failed(leak)).toEqual(['heap level (after GC)', 'heap trend (second half)']);
    // +3 MiB in 5 minutes is within the bound (max(8 MiB, 10%)): what a short run can resolve.
    const slow = run((s) => ({ heapUsedMB: s.heapUsedMB + (0.1 * s.t) / 10 }));
    expect(failed(slow)).toEqual([]);
  });

  it('fails a leak that starts in the second half through the trend check', () => {
    const samples = run((s) => ({
      heapUsedMB: s.heapUsedMB + (s.t > 200 ? (1.2 * (s.t - 200)) / 10 : 0),
    }));
    expect(failed(samples)).toEqual(['heap trend (second half)']);
  });

  it('is not fooled by one outlier sample (a GC that came too late)', () => {
    const samples = run((_s, i) => (i === 30 ? { heapUsedMB: 180, rssMB: 400 } : {}));
    expect(failed(samples)).toEqual([]);
  });

  it('fails growing RSS, handles and connections', () => {
    const samples = run((s) => ({
      rssMB: s.rssMB + (5 * s.t) / 10,
      activeResources: s.activeResources + Math.floor(s.t / 10),
      connections: { postgres: 6 + Math.floor(s.t / 20), redis: 1 },
    }));
    expect(failed(samples)).toEqual(['RSS level', 'active handles', 'open postgres']);
  });

  it('fails when events stop arriving', () => {
    const samples = run((s) => ({ webhookDeliveries: Math.min(s.t, 150) * 2 }));
    expect(failed(samples)).toEqual(['events flowing']);
  });

  it('fails a run too short to judge', () => {
    const verdict = soakVerdict(run().slice(0, 6), OPTIONS);
    expect(verdict.pass).toBe(false);
    expect(verdict.checks.map((check) => check.name)).toEqual(['errors', 'samples']);
  });

  it('computes medians and Theil-Sen slopes', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    const points = [0, 1, 2, 3, 4].map((x) => ({ x, y: 2 * x + 1 }));
    expect(theilSenSlope([...points, { x: 5, y: 1000 }])).toBe(2);
  });
});
