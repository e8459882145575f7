import { InvalidCursorError, type Page } from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';

/** Runs a page query, turning a malformed cursor into a 400 `invalid_cursor`. */
export async function fetchPage<T>(query: () => Promise<Page<T>>): Promise<Page<T>> {
  try {
    return await query();
  } catch (error) {
    if (error instanceof InvalidCursorError) throw new AppError('invalid_cursor');
    throw error;
  }
}
