/** A unique or primary-key constraint refused the write (HTTP 409 upstream). */
export class ConflictError extends Error {
  constructor(message = 'A row with the same unique key already exists', options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConflictError';
  }
}

/** The row asked for, or a row the write refers to, does not exist. */
export class NotFoundError extends Error {
  constructor(message = 'Row not found', options?: ErrorOptions) {
    super(message, options);
    this.name = 'NotFoundError';
  }
}

/** A pagination cursor that this layer did not issue (or that was altered). */
export class InvalidCursorError extends Error {
  constructor(message = 'Invalid pagination cursor', options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidCursorError';
  }
}

interface DriverErrorFields {
  code?: unknown;
  errno?: unknown;
}

function fieldsOf(err: unknown): DriverErrorFields {
  return typeof err === 'object' && err !== null ? err : {};
}

/**
 * True when a driver error is a unique/primary-key violation on pg (23505), MySQL/MariaDB
 * (ER_DUP_ENTRY, 1062) or SQLite.
 *
 * @example
 * try { await insert(); } catch (err) { if (isUniqueViolation(err)) return 'taken'; throw err; }
 */
export function isUniqueViolation(err: unknown): boolean {
  const { code, errno } = fieldsOf(err);
  return (
    code === '23505' ||
    code === 'ER_DUP_ENTRY' ||
    errno === 1062 ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

/**
 * True when a write referred to a row that does not exist (a foreign-key violation): pg 23503,
 * MySQL ER_NO_REFERENCED_ROW_2 (1452), SQLite SQLITE_CONSTRAINT_FOREIGNKEY.
 *
 * @example
 * isForeignKeyViolation({ code: '23503' }); // true
 */
export function isForeignKeyViolation(err: unknown): boolean {
  const { code, errno } = fieldsOf(err);
  return (
    code === '23503' ||
    code === 'ER_NO_REFERENCED_ROW_2' ||
    code === 'ER_NO_REFERENCED_ROW' ||
    errno === 1452 ||
    code === 'SQLITE_CONSTRAINT_FOREIGNKEY'
  );
}

/**
 * Maps a driver error to this layer's errors: unique violation -> {@link ConflictError},
 * missing referenced row -> {@link NotFoundError}; anything else is returned unchanged.
 *
 * @example
 * try { await db('tenants').insert(row); } catch (err) { throw mapDbError(err); }
 */
export function mapDbError(err: unknown): Error {
  if (isUniqueViolation(err)) return new ConflictError(undefined, { cause: err });
  if (isForeignKeyViolation(err)) {
    return new NotFoundError('A row this write refers to does not exist', { cause: err });
  }
  return err instanceof Error ? err : new Error(String(err));
}

// Errors that say "the database server cannot be reached" rather than "the query was wrong".
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'ER_CON_COUNT_ERROR',
  // pg: admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections.
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);
const CONNECTION_MESSAGES = [
  'Knex: Timeout acquiring a connection',
  'Connection terminated',
  'timeout expired',
  'connect ETIMEDOUT',
];

/**
 * True when a driver error (or any error in its `cause` chain) means the database server is
 * unreachable or refusing connections (pg, mysql2, knex's pool timeout), as opposed to a bad
 * query. Callers answer "try later" for these instead of a 500.
 *
 * @example
 * try { await db.users.findById(id); } catch (err) { if (isConnectionError(err)) return 503; throw err; }
 */
export function isConnectionError(err: unknown): boolean {
  for (let current = err, depth = 0; current && depth < 5; depth += 1) {
    if (typeof current !== 'object') return false;
    const { code } = fieldsOf(current);
    if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
    if (current instanceof Error) {
      if (current.name === 'KnexTimeoutError') return true;
      const message = current.message;
      if (CONNECTION_MESSAGES.some((m) => message.includes(m))) return true;
      if (current instanceof AggregateError && current.errors.some(isConnectionError)) return true;
    }
    current = 'cause' in current ? current.cause : undefined;
  }
  return false;
}
