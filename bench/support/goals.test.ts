import { formatVerdicts, judge } from './goals';
import type { PhaseRow } from './rounds';

const phase = (name: string, opsPerSecond: number, cpuMicros: number, errors = 0): PhaseRow => ({
  name,
  ops: opsPerSecond * 10,
  errors,
  seconds: 10,
  opsPerSecond,
  concurrency: 32,
  p50Ms: 1,
  p99Ms: 2,
  failures: {},
  clientCpuPercent: 50,
  warmupRequests: 0,
  serverCpuPercent: 90,
  serverCpuMicrosPerRequest: cpuMicros,
});

describe('judge', () => {
  it('meets a ratio goal at or above it, and gives the CPU ratio beside it', () => {
    const verdict = judge({
      kind: 'ratio',
      path: 'JWKS',
      hellojohn: phase('JWKS', 800, 200),
      ceiling: phase('ceiling', 1000, 100),
      goal: 0.8,
    });
    expect(verdict).toMatchObject({ ratio: 0.8, cpuRatio: 0.5, met: true });
  });

  it('does not meet a ratio goal below it, nor one whose phases had errors', () => {
    const ceiling = phase('ceiling', 1000, 100);
    expect(
      judge({ kind: 'ratio', path: 'me', hellojohn: phase('me', 499, 1), ceiling, goal: 0.5 }).met,
    ).toBe(false);
    expect(
      judge({ kind: 'ratio', path: 'me', hellojohn: phase('me', 900, 1, 3), ceiling, goal: 0.5 })
        .met,
    ).toBe(false);
  });

  it('needs all three provisioning goals and no failed tenant', () => {
    const goal = { p50Ms: 300, p99Ms: 1000, tenantsPerSecond: 20 };
    const figures = {
      name: 'burst',
      tenants: 20,
      failed: 0,
      seconds: 1,
      tenantsPerSecond: 20,
      p50Ms: 300,
      p95Ms: 900,
      p99Ms: 1000,
      maxMs: 1000,
    };
    const row = { kind: 'provisioning' as const, path: 'tenants', goal };
    expect(judge({ ...row, figures }).met).toBe(true);
    expect(judge({ ...row, figures: { ...figures, p99Ms: 1001 } }).met).toBe(false);
    expect(judge({ ...row, figures: { ...figures, tenantsPerSecond: 19.9 } }).met).toBe(false);
    expect(judge({ ...row, figures: { ...figures, failed: 1 } }).met).toBe(false);
  });

  it('says "not run" with the reason, and no verdict', () => {
    const verdict = judge({ kind: 'ratio', path: 'refresh', goal: 0.25, notRun: 'no PostgreSQL' });
    expect(verdict.hellojohn).toBe('not run (no PostgreSQL)');
    expect(verdict.met).toBeUndefined();
    expect(formatVerdicts([verdict])).toContain('| refresh');
  });
});
