import type { Io } from './io';

type Row = Record<string, unknown>;

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Prints rows as an aligned table (or JSON with `--json`), picking `columns` in order. */
export function printRows(io: Io, rows: Row[], columns: string[], json: boolean): void {
  if (json) {
    io.out(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  if (rows.length === 0) {
    io.out('(none)\n');
    return;
  }
  const widths = columns.map((column) =>
    Math.max(column.length, ...rows.map((row) => cell(row[column]).length)),
  );
  const line = (values: string[]): string =>
    values
      .map((value, i) => value.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  io.out(`${line(columns.map((c) => c.toUpperCase()))}\n`);
  for (const row of rows) io.out(`${line(columns.map((c) => cell(row[c])))}\n`);
}

/** Prints one object as `key: value` lines (or JSON). */
export function printObject(io: Io, value: object, json: boolean): void {
  if (json) {
    io.out(`${JSON.stringify(value, null, 2)}\n`);
    return;
  }
  for (const [key, field] of Object.entries(value)) io.out(`${key}: ${cell(field)}\n`);
}
