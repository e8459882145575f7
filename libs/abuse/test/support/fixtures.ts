import { AppError, createLogger } from '@hellojohn/http';

/** For the limiter stores under test: logs nothing. */
export const logger = createLogger({ name: 'abuse-test', level: 'silent' });

/** The `AppError` `promise` rejects with; `undefined` when it resolves. Other errors are rethrown. */
export async function errorOf(promise: Promise<unknown>): Promise<AppError | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
}
