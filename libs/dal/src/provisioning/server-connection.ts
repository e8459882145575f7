import type { Connection } from 'mysql2/promise';
import { createConnection } from 'mysql2/promise';
import { Client } from 'pg';

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

/** Runs `fn` on one dedicated MySQL connection to `url`, then closes it. */
export async function withMysqlConnection<T>(
  url: string,
  fn: (connection: Connection) => Promise<T>,
): Promise<T> {
  const parsed = new URL(url);
  const connection = await createConnection({
    host: parsed.hostname,
    port: parsed.port === '' ? 3306 : Number(parsed.port),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')),
    charset: 'utf8mb4',
  });
  try {
    return await fn(connection);
  } finally {
    await connection.end();
  }
}
