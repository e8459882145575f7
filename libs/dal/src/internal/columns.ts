import { z } from 'zod';

/**
 * Times come back as Date (pg, mysql2 with timezone 'Z'), epoch milliseconds (better-sqlite3:
 * knex binds a Date as its valueOf()) or, for values SQLite wrote itself, 'YYYY-MM-DD HH:MM:SS'
 * in UTC. Every repository reads them through this one function.
 */
export function toDate(value: Date | number | string | bigint): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'number' || typeof value === 'bigint') return new Date(Number(value));
  if (/^\d+$/.test(value)) return new Date(Number(value));
  const iso = value.includes('T') ? value : `${value.replace(' ', 'T')}Z`;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new Error(`Unreadable time value "${value}"`);
  return date;
}

const dateInput = z.union([z.date(), z.number(), z.string(), z.bigint()]);

/** A NOT NULL time column. */
export const dbDate = dateInput.transform(toDate);

/** A nullable time column. */
export const dbDateOrNull = dateInput.nullable().transform((v) => (v === null ? null : toDate(v)));

/** Booleans are native on pg, TINYINT(1) on MySQL and INTEGER on SQLite. */
export const dbBool = z
  .union([z.boolean(), z.number(), z.bigint(), z.string()])
  .transform((v) => v === true || v === 1 || v === 1n || v === '1' || v === 'true');

/** Integers: pg returns BIGINT and COUNT(*) as strings. */
export const dbInt = z.union([z.number(), z.string(), z.bigint()]).transform((v) => Number(v));

/** JSON is stored as text everywhere (portable, no dialect JSON quirks) and parsed here. */
export const dbJson = z.string().transform((v): unknown => JSON.parse(v));

/** A JSON object column (settings, metadata). */
export const dbJsonObject = dbJson.pipe(z.record(z.string(), z.unknown()));

/** A JSON array of strings (redirect URIs, grant types, scopes). */
export const dbJsonStrings = dbJson.pipe(z.array(z.string()));

/** Serialises a value for a JSON text column. */
export function toJson(value: unknown): string {
  return JSON.stringify(value ?? null);
}

/** `{ n }` from `count({ n: '*' })`. */
export const countRow = z.object({ n: dbInt });
