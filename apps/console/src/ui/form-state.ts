import { useState } from 'react';
import { asApiError, type ApiError } from '../api/api-error';

/** A form's submit state: pending (no double submit) and the last failure, by field. */
export interface FormState {
  pending: boolean;
  error: ApiError | undefined;
  /** The message of the 400 problem's `errors[]` entry for `path` (or a path below it). */
  fieldError(path: string): string | undefined;
  /** Problems no field of `fields` shows: they go to the form's summary. */
  unmatched(fields: readonly string[]): string[];
  submit(action: () => Promise<void>): Promise<void>;
}

const matches = (problemPath: string, field: string): boolean =>
  problemPath === field ||
  problemPath.startsWith(`${field}.`) ||
  problemPath.startsWith(`${field}[`);

export function useFormState(): FormState {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError>();
  return {
    pending,
    error,
    fieldError(path) {
      return error?.errors.find((problem) => matches(problem.path, path))?.message;
    },
    unmatched(fields) {
      return (error?.errors ?? [])
        .filter((problem) => !fields.some((field) => matches(problem.path, field)))
        .map((problem) => (problem.path ? `${problem.path}: ${problem.message}` : problem.message));
    },
    async submit(action) {
      if (pending) return;
      setPending(true);
      setError(undefined);
      try {
        await action();
      } catch (failure) {
        setError(asApiError(failure));
      } finally {
        setPending(false);
      }
    },
  };
}
