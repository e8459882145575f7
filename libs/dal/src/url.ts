import { isAbsolute } from 'node:path';

/** Which knex driver a database URL selects. */
export type DatabaseDriver = 'pg' | 'mysql' | 'sqlite';

/** A database URL, parsed just enough to pick a driver and name its database. */
export interface DatabaseTarget {
  driver: DatabaseDriver;
  /** The URL exactly as given. */
  url: string;
  /** pg/mysql: the database named in the URL path. */
  database?: string;
  /** sqlite: the file path (relative to the working directory when relative), or `:memory:`. */
  filename?: string;
}

/**
 * Replaces the password in a database URL with `***`, so the URL can be logged.
 *
 * @example
 * redactDatabaseUrl('postgres://hj:s3cret@db:5432/hj'); // 'postgres://hj:***@db:5432/hj'
 */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') {
      parsed.password = '***';
      return parsed.toString();
    }
    return url;
  } catch {
    // Not a URL the WHATWG parser accepts: mask anything that looks like `user:password@`.
    return url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
  }
}

function parseSqlite(url: string): DatabaseTarget {
  let path = url.slice('sqlite:'.length);
  if (path.startsWith('//')) {
    // `sqlite:///abs/file.db` is the URL form of an absolute path; `sqlite://x` names no file.
    path = path.slice(2);
    if (!isAbsolute(path)) {
      throw new Error(`Invalid SQLite URL "${url}": use sqlite:PATH or sqlite:///ABSOLUTE/PATH`);
    }
  }
  if (path === '') {
    throw new Error('Invalid SQLite URL "sqlite:": a file path (or :memory:) is required');
  }
  return { driver: 'sqlite', url, filename: path };
}

function parseServer(url: string, driver: 'pg' | 'mysql'): DatabaseTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`Invalid database URL "${redactDatabaseUrl(url)}"`);
  }
  if (parsed.hostname === '') {
    throw new Error(`Invalid database URL "${redactDatabaseUrl(url)}": a host is required`);
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (database === '' || database.includes('/')) {
    throw new Error(
      `Invalid database URL "${redactDatabaseUrl(url)}": the path must name one database`,
    );
  }
  return { driver, url, database };
}

/**
 * Parses `postgres://`, `postgresql://`, `mysql://` or `sqlite:PATH` (`sqlite::memory:` too).
 * Throws an Error that never contains the password.
 *
 * @example
 * parseDatabaseUrl('sqlite:./data/control-plane.db');
 * // { driver: 'sqlite', url: 'sqlite:./data/control-plane.db', filename: './data/control-plane.db' }
 */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'postgres':
    case 'postgresql':
      return parseServer(url, 'pg');
    case 'mysql':
      return parseServer(url, 'mysql');
    case 'sqlite':
      return parseSqlite(url);
    default:
      throw new Error(
        `Unsupported database URL "${redactDatabaseUrl(url)}": expected postgres://, mysql:// or sqlite:PATH`,
      );
  }
}

/** The same server URL with its database replaced (used for managed tenant databases). */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}
