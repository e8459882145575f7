/**
 * The hot-path table of `npm run bench`: each HelloJohn path beside its ceiling from the same run,
 * the ratio and whether the goal (docs/benchmarks.md, "All hot paths") is met.
 */
import type { ProvisioningFigures } from './provisioning';
import type { PhaseRow } from './rounds';

/** A throughput row: HelloJohn over its ceiling, met when the ratio reaches `goal`. */
export interface RatioRow {
  kind: 'ratio';
  path: string;
  hellojohn?: PhaseRow;
  ceiling?: PhaseRow;
  goal: number;
  /** Why the row was not measured (the mode did not start, or the row is not for this mode). */
  notRun?: string;
}

/** The provisioning row: latency and rate goals, no ceiling. */
export interface ProvisioningRow {
  kind: 'provisioning';
  path: string;
  figures?: ProvisioningFigures;
  goal: { p50Ms: number; p99Ms: number; tenantsPerSecond: number };
  notRun?: string;
}

/** A reference figure printed for scale (raw Ed25519), no goal. */
export interface ReferenceRow {
  kind: 'reference';
  path: string;
  figures?: PhaseRow | { name: string; opsPerSecond: number; p50Ms: number; p99Ms: number };
  notRun?: string;
}

export type GoalRow = RatioRow | ProvisioningRow | ReferenceRow;

export interface Verdict {
  path: string;
  hellojohn: string;
  ceiling: string;
  ratio?: number;
  /** CPU per request, the ceiling's over HelloJohn's: the same comparison, steadier under load. */
  cpuRatio?: number;
  goal: string;
  met?: boolean;
}

const rate = (row: { opsPerSecond: number; p50Ms: number; p99Ms: number }): string =>
  `${row.opsPerSecond.toFixed(0)} /s (${row.p50Ms.toFixed(1)} / ${row.p99Ms.toFixed(1)} ms)`;

const errorsOf = (row?: PhaseRow): string =>
  row && row.errors > 0 ? `, ${row.errors} errors` : '';

/** Ratios and verdicts; a row with errors in either phase is never "met". */
export function judge(row: GoalRow): Verdict {
  if (row.kind === 'reference') {
    return {
      path: row.path,
      hellojohn: row.notRun ? `not run (${row.notRun})` : row.figures ? rate(row.figures) : '-',
      ceiling: '-',
      goal: 'reference',
    };
  }
  if (row.kind === 'provisioning') {
    const { goal, figures } = row;
    const goalText = `p50 <= ${goal.p50Ms} ms, p99 <= ${goal.p99Ms} ms, >= ${goal.tenantsPerSecond} /s`;
    if (row.notRun || !figures) {
      return {
        path: row.path,
        hellojohn: `not run (${row.notRun ?? 'no figures'})`,
        ceiling: '-',
        goal: goalText,
      };
    }
    return {
      path: row.path,
      hellojohn:
        `p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms, ${figures.tenantsPerSecond} /s ` +
        `(${figures.tenants} tenants${figures.failed > 0 ? `, ${figures.failed} failed` : ''})`,
      ceiling: '-',
      goal: goalText,
      met:
        figures.failed === 0 &&
        figures.p50Ms <= goal.p50Ms &&
        figures.p99Ms <= goal.p99Ms &&
        figures.tenantsPerSecond >= goal.tenantsPerSecond,
    };
  }
  const { hellojohn, ceiling } = row;
  const goalText = `>= ${row.goal.toFixed(2)}`;
  if (row.notRun || !hellojohn || !ceiling || ceiling.opsPerSecond === 0) {
    return {
      path: row.path,
      hellojohn: `not run (${row.notRun ?? 'no figures'})`,
      ceiling: '-',
      goal: goalText,
    };
  }
  const exact = hellojohn.opsPerSecond / ceiling.opsPerSecond;
  const ratio = Number(exact.toFixed(2));
  const cpuRatio =
    hellojohn.serverCpuMicrosPerRequest > 0
      ? Number((ceiling.serverCpuMicrosPerRequest / hellojohn.serverCpuMicrosPerRequest).toFixed(2))
      : undefined;
  return {
    path: row.path,
    hellojohn: `${rate(hellojohn)}${errorsOf(hellojohn)}`,
    ceiling: `${ceiling.name}: ${rate(ceiling)}${errorsOf(ceiling)}`,
    ratio,
    ...(cpuRatio === undefined ? {} : { cpuRatio }),
    goal: goalText,
    // The exact ratio: 0.499 is printed 0.50 but does not meet 0.5.
    met: hellojohn.errors === 0 && ceiling.errors === 0 && exact >= row.goal,
  };
}

/** A Markdown table (it reads in a terminal and pastes into docs/benchmarks.md). */
export function formatVerdicts(verdicts: readonly Verdict[]): string {
  const header = ['path', 'HelloJohn', 'ceiling (same run)', 'ratio (by CPU)', 'goal', 'verdict'];
  const body = verdicts.map((v) => [
    v.path,
    v.hellojohn,
    v.ceiling,
    v.ratio === undefined
      ? '-'
      : `${v.ratio.toFixed(2)}${v.cpuRatio === undefined ? '' : ` (${v.cpuRatio.toFixed(2)})`}`,
    v.goal,
    v.met === undefined ? '-' : v.met ? 'met' : 'NOT MET',
  ]);
  const widths = header.map((h, c) =>
    Math.max(h.length, ...body.map((row) => (row[c] ?? '').length)),
  );
  const line = (cells: string[]): string =>
    `| ${cells.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
