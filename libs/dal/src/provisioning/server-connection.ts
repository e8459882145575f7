import type { Connection } from 'mysql2/promise';
import { createConnection } from 'mysql2/promise';
import { Client } from 'pg';
import { parseDatabaseUrl } from '../url';

/** Runs `fn` on one dedicated pg connection to `url`, then closes it. */
export async function withPgClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Runs `fn` on one dedicated MySQL connection to `url`, then closes it. `multipleStatements`
 * lets one query carry a batch (the template DDL); only for SQL we generate, never user input.
 */
export async function withMysqlConnection<T>(
  url: string,
  fn: (connection: Connection) => Promise<T>,
  options: { multipleStatements?: boolean } = {},
): Promise<T> {
  const parsed = new URL(url);
  const connection = await createConnection({
    host: parsed.hostname,
    port: parsed.port === '' ? 3306 : Number(parsed.port),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')),
    charset: 'utf8mb4',
    multipleStatements: options.multipleStatements === true,
  });
  try {
    return await fn(connection);
  } finally {
    await connection.end();
  }
}

/** True when `err` is a driver or system error with one of `codes` (SQLSTATE, errno name). */
export function hasCode(err: unknown, ...codes: string[]): boolean {
  return (
    typeof err === 'object' && err !== null && 'code' in err && codes.includes(String(err.code))
  );
}

/** The directory of a `sqlite:DIR` tenant server, which holds one file per tenant database. */
export function sqliteDir(serverUrl: string): string {
  const dir = parseDatabaseUrl(serverUrl).filename ?? '';
  if (dir === ':memory:') throw new Error('sqlite::memory: cannot hold tenant databases');
  return dir;
}
