import { useState } from 'react';
import type { Call } from '../api/http';
import type { Page } from '../api/types';
import { useResource, type Resource } from './use-resource';

/** What a `Pager` needs to page a list held in component state. */
export interface LocalPaging {
  cursor: string;
  nextCursor: string | null | undefined;
  onNext: (cursor: string) => void;
  onPrevious: () => void;
}

/**
 * One page of a list shown inside a tab (a user's sessions, a webhook's deliveries): the cursors
 * live in component state, not the URL, since the panel is not a page of its own; Previous pops
 * the cursor it came from.
 */
export function usePagedList<T>(
  call: Call,
  path: string,
  limit = 20,
): { list: Resource<Page<T>>; paging: LocalPaging } {
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1] ?? '';
  const list = useResource(
    () => call<Page<T>>('GET', path, { query: { limit, cursor } }),
    `${path}|${cursor}`,
  );
  return {
    list,
    paging: {
      cursor,
      nextCursor: list.data?.next_cursor,
      onNext: (next) => {
        setCursors((stack) => [...stack, next]);
      },
      onPrevious: () => {
        setCursors((stack) => stack.slice(0, -1));
      },
    },
  };
}
