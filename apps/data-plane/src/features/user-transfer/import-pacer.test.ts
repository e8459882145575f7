import { DEFAULT_IMPORT_PACING, nextPace, type Pace, type PaceSignals } from './import-pacer';

const limits = DEFAULT_IMPORT_PACING;
const calm: PaceSignals = { lines: 100, batchMs: 45, loopDelayMs: 2, probeMs: 1 };

/** The pace after `n` batches that each saw `seen`. */
function after(n: number, seen: PaceSignals, from: Pace = limits): Pace {
  let pace = { batchSize: from.batchSize, pauseMs: from.pauseMs };
  for (let i = 0; i < n; i += 1) pace = nextPace(pace, { ...seen, lines: pace.batchSize }, limits);
  return pace;
}

describe('nextPace', () => {
  it('grows the batch toward its bound while every signal is calm, at the base pause', () => {
    expect(nextPace({ batchSize: 100, pauseMs: 10 }, calm, limits)).toEqual({
      batchSize: 125,
      pauseMs: 10,
    });
    expect(after(20, calm)).toEqual({ batchSize: limits.maxBatchSize, pauseMs: 80 });
  });

  it.each<[string, Partial<PaceSignals>]>([
    ['a lagging event loop', { loopDelayMs: limits.maxLoopDelayMs + 1 }],
    ['a long transaction', { batchMs: limits.maxBatchMs + 1 }],
    ['a slow tenant database', { probeMs: limits.maxProbeMs + 1 }],
  ])('halves the batch and doubles the pause on %s', (_what, strain) => {
    expect(nextPace({ batchSize: 100, pauseMs: 40 }, { ...calm, ...strain }, limits)).toEqual({
      batchSize: 50,
      pauseMs: 80,
    });
  });

  it('backs off to its smallest batch under lasting strain, keeps the progress floor, then recovers', () => {
    const strained = { ...calm, loopDelayMs: 500 };
    const floor = after(30, strained);
    // 20 lines at 200 lines/s at least: 100 ms for the batch (45 ms) and its pause.
    expect(floor).toEqual({ batchSize: limits.minBatchSize, pauseMs: 55 });
    // With the floor lowered, the pause reaches its ceiling.
    const patient = { ...limits, minLinesPerSecond: 1 };
    let pace: Pace = limits;
    for (let i = 0; i < 30; i += 1) pace = nextPace(pace, strained, patient);
    expect(pace).toEqual({ batchSize: limits.minBatchSize, pauseMs: limits.maxPauseMs });
    // A batch slower than the floor allows: no pause at all (the timer still turns the loop).
    const slow = { ...strained, lines: 20, batchMs: 180 };
    expect(nextPace({ batchSize: 20, pauseMs: 500 }, slow, limits).pauseMs).toBe(0);
    const recovering = after(3, calm, floor);
    expect(recovering.batchSize).toBeGreaterThan(limits.minBatchSize);
    expect(recovering.pauseMs).toBeLessThan(limits.maxPauseMs);
  });

  it('keeps to the rate budget even when the signals allow more', () => {
    // 250 lines written in 10 ms: at 2000 lines/s they must take 125 ms with their pause.
    const fast = { lines: 250, batchMs: 10, loopDelayMs: 0, probeMs: 0 };
    expect(nextPace({ batchSize: 250, pauseMs: 10 }, fast, limits).pauseMs).toBe(115);
    const tight = { ...limits, maxLinesPerSecond: 100 };
    // 250 lines at 100/s: 2.5 s, more than the longest pause; the ceiling holds.
    expect(nextPace({ batchSize: 250, pauseMs: 10 }, fast, tight).pauseMs).toBe(tight.maxPauseMs);
  });
});
