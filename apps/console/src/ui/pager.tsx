import type { ReactNode } from 'react';
import { navigate } from '../router';

/**
 * Navigates to `base` with `params` in the query string, dropping empty values, so filters and
 * the cursor survive reload and Back.
 */
export function goWithQuery(base: string, params: Record<string, string>): void {
  const query = new URLSearchParams(params);
  for (const [name, value] of [...query]) if (value === '') query.delete(name);
  const text = query.toString();
  navigate(text ? `${base}?${text}` : base);
}

/**
 * Cursor paging (UX brief: no page numbers): Next follows the answer's `next_cursor`, Previous is
 * the browser history, since each page's cursor is in the URL.
 */
export function Pager(props: {
  cursor: string;
  nextCursor: string | null | undefined;
  onNext: (cursor: string) => void;
  /** For a list whose cursors are not in the URL (usePagedList); the default is history Back. */
  onPrevious?: () => void;
  /** Names the navigation landmark when a page has more than one pager. */
  label?: string;
}): ReactNode {
  const { nextCursor } = props;
  return (
    <nav aria-label={props.label ?? 'Pages'} className="pager">
      {props.cursor && (
        <button
          type="button"
          onClick={() => {
            if (props.onPrevious) props.onPrevious();
            else window.history.back();
          }}
        >
          Previous
        </button>
      )}
      {nextCursor && (
        <button
          type="button"
          onClick={() => {
            props.onNext(nextCursor);
          }}
        >
          Next
        </button>
      )}
    </nav>
  );
}
