import { InvalidCursorError, type Page } from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';

/** A page of an organization list; a cursor this server did not issue is `400 invalid_cursor`. */
export async function pageOrInvalidCursor<T>(read: () => Promise<Page<T>>): Promise<Page<T>> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof InvalidCursorError) throw new AppError('invalid_cursor');
    throw error;
  }
}
