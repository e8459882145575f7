import {
  baselineOf,
  boundsOver,
  DEFAULT_IMPORT_PACING,
  measureBaseline,
  nextPace,
  type LoopDelayProbe,
  type Pace,
  type PaceBounds,
  type PaceSignals,
} from './import-pacer';

const limits = DEFAULT_IMPORT_PACING;
/** An idle machine's baseline: the absolute margins decide. */
const idle = boundsOver({ loopDelayMs: 0, probeMs: 0 }, limits);
const calm: PaceSignals = { lines: 100, batchMs: 45, loopDelayMs: 2, probeMs: 1 };

/** The pace after `n` batches that each saw `seen`. */
function after(n: number, seen: PaceSignals, from: Pace = limits, bounds: PaceBounds = idle): Pace {
  let pace = { batchSize: from.batchSize, pauseMs: from.pauseMs };
  for (let i = 0; i < n; i += 1) {
    pace = nextPace(pace, { ...seen, lines: pace.batchSize }, limits, bounds);
  }
  return pace;
}

describe('baselineOf and boundsOver', () => {
  it('takes the loop p99 as it is and the median probe, so one slow probe does not set the bar', () => {
    expect(baselineOf(4, [1, 2, 90])).toEqual({ loopDelayMs: 4, probeMs: 2 });
    expect(baselineOf(4, [1, 3, 5, 90])).toEqual({ loopDelayMs: 4, probeMs: 4 });
    expect(baselineOf(-1, [])).toEqual({ loopDelayMs: 0, probeMs: 0 });
  });

  it('puts each bound past both the margin and the ratio over its baseline', () => {
    // Idle: the margins (30 ms loop, 25 ms probe) decide.
    expect(boundsOver({ loopDelayMs: 0, probeMs: 0 }, limits)).toEqual({
      loopDelayMs: 30,
      probeMs: 25,
      batchMs: limits.maxBatchMs,
    });
    // A little busy: baseline + margin is the larger.
    expect(boundsOver({ loopDelayMs: 10, probeMs: 5 }, limits)).toEqual({
      loopDelayMs: 40,
      probeMs: 30,
      batchMs: limits.maxBatchMs,
    });
    // Busy for other reasons: twice the baseline is the larger.
    expect(boundsOver({ loopDelayMs: 80, probeMs: 60 }, limits)).toEqual({
      loopDelayMs: 160,
      probeMs: 120,
      batchMs: limits.maxBatchMs,
    });
  });
});

describe('measureBaseline', () => {
  it('reads the loop probe once the window is over and probes the database at least once', async () => {
    const reads: number[] = [];
    const loop: LoopDelayProbe = {
      read() {
        // The first read starts the window (its value is dropped), the second ends it.
        const value = reads.length === 0 ? 999 : 7;
        reads.push(value);
        return value;
      },
      close() {
        // Nothing to release: no histogram behind it.
      },
    };
    let pings = 0;
    const baseline = await measureBaseline(0, loop, async () => {
      pings += 1;
    });
    expect(pings).toBe(1);
    expect(reads).toEqual([999, 7]);
    expect(baseline.loopDelayMs).toBe(7);
    expect(baseline.probeMs).toBeGreaterThanOrEqual(0);
  });
});

describe('nextPace', () => {
  it('grows the batch toward its bound while every signal is calm, at the base pause', () => {
    expect(nextPace({ batchSize: 100, pauseMs: 10 }, calm, limits, idle)).toEqual({
      batchSize: 125,
      pauseMs: 10,
    });
    expect(after(20, calm)).toEqual({ batchSize: limits.maxBatchSize, pauseMs: 80 });
  });

  it.each<[string, Partial<PaceSignals>]>([
    ['a lagging event loop', { loopDelayMs: idle.loopDelayMs + 1 }],
    ['a long transaction', { batchMs: limits.maxBatchMs + 1 }],
    ['a slow tenant database', { probeMs: idle.probeMs + 1 }],
  ])('halves the batch and doubles the pause on %s', (_what, strain) => {
    expect(nextPace({ batchSize: 100, pauseMs: 40 }, { ...calm, ...strain }, limits, idle)).toEqual(
      {
        batchSize: 50,
        pauseMs: 80,
      },
    );
  });

  it('does not read a machine busy before the job as strain, only an increase over it', () => {
    const busy = boundsOver({ loopDelayMs: 45, probeMs: 30 }, limits);
    // What the idle bounds call strain is this machine's ordinary state: the batch grows.
    const usual = { ...calm, loopDelayMs: 60, probeMs: 40 };
    expect(nextPace({ batchSize: 100, pauseMs: 10 }, usual, limits, idle).batchSize).toBe(50);
    expect(nextPace({ batchSize: 100, pauseMs: 10 }, usual, limits, busy).batchSize).toBe(125);
    // Past twice its baseline (90 ms loop, 60 ms probe), it backs off as an idle one would.
    for (const strain of [{ loopDelayMs: 91 }, { probeMs: 61 }]) {
      const seen = { ...usual, ...strain };
      expect(nextPace({ batchSize: 100, pauseMs: 40 }, seen, limits, busy)).toEqual({
        batchSize: 50,
        pauseMs: 80,
      });
    }
  });

  it('backs off to its smallest batch under lasting strain, keeps the progress floor, then recovers', () => {
    const strained = { ...calm, loopDelayMs: 500 };
    const floor = after(30, strained);
    // 20 lines at 200 lines/s at least: 100 ms for the batch (45 ms) and its pause.
    expect(floor).toEqual({ batchSize: limits.minBatchSize, pauseMs: 55 });
    // With the floor lowered, the pause reaches its ceiling.
    const patient = { ...limits, minLinesPerSecond: 1 };
    let pace: Pace = limits;
    for (let i = 0; i < 30; i += 1) pace = nextPace(pace, strained, patient, idle);
    expect(pace).toEqual({ batchSize: limits.minBatchSize, pauseMs: limits.maxPauseMs });
    // A batch slower than the floor allows: no pause at all (the timer still turns the loop).
    const slow = { ...strained, lines: 20, batchMs: 180 };
    expect(nextPace({ batchSize: 20, pauseMs: 500 }, slow, limits, idle).pauseMs).toBe(0);
    const recovering = after(3, calm, floor);
    expect(recovering.batchSize).toBeGreaterThan(limits.minBatchSize);
    expect(recovering.pauseMs).toBeLessThan(limits.maxPauseMs);
  });

  it('keeps to the rate budget even when the signals allow more', () => {
    // 250 lines written in 10 ms: at 2000 lines/s they must take 125 ms with their pause.
    const fast = { lines: 250, batchMs: 10, loopDelayMs: 0, probeMs: 0 };
    expect(nextPace({ batchSize: 250, pauseMs: 10 }, fast, limits, idle).pauseMs).toBe(115);
    const tight = { ...limits, maxLinesPerSecond: 100 };
    // 250 lines at 100/s: 2.5 s, more than the longest pause; the ceiling holds.
    expect(nextPace({ batchSize: 250, pauseMs: 10 }, fast, tight, idle).pauseMs).toBe(
      tight.maxPauseMs,
    );
  });
});
