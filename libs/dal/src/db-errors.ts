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
