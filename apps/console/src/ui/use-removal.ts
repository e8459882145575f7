import { useState } from 'react';
import { asApiError, type ApiError } from '../api/api-error';

/** A row waiting for its delete confirmation, and how that delete went. */
export interface Removal<T> {
  /** The row the confirm dialog is open for. */
  target: T | undefined;
  ask: (row: T) => void;
  cancel: () => void;
  /** Runs the delete for `target`, closes the dialog and reloads, whatever the outcome. */
  confirm: () => Promise<void>;
  error: ApiError | undefined;
}

/**
 * Delete-after-confirmation for a table: `remove` deletes a row and says what happened (the
 * text for the page's live region, passed to `onRemoved`); a failure is kept for a problem panel.
 */
export function useRemoval<T>(
  remove: (row: T) => Promise<string>,
  onRemoved: (message: string) => void,
  reload: () => void,
): Removal<T> {
  const [target, setTarget] = useState<T>();
  const [error, setError] = useState<ApiError>();
  return {
    target,
    error,
    ask: (row) => {
      setError(undefined);
      setTarget(row);
    },
    cancel: () => {
      setTarget(undefined);
    },
    async confirm() {
      if (target === undefined) return;
      try {
        onRemoved(await remove(target));
      } catch (failure) {
        setError(asApiError(failure));
      }
      setTarget(undefined);
      reload();
    },
  };
}
