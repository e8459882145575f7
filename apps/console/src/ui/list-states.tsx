import type { ReactNode } from 'react';
import type { ApiError } from '../api/api-error';
import type { Page } from '../api/types';
import { EmptyState, Loading, ProblemPanel } from './problem-panel';
import type { Resource } from './use-resource';

/**
 * What a list panel shows above (or instead of) its table: a failed row action, a failed load with
 * Retry, the first load, or the empty state.
 */
export function ListStates<T>(props: {
  list: Resource<Page<T>>;
  /** What is loading, for "Loading {label}…". */
  label: string;
  empty: string;
  failure?: ApiError;
}): ReactNode {
  const { list } = props;
  return (
    <>
      {props.failure && <ProblemPanel error={props.failure} />}
      {list.error && <ProblemPanel error={list.error} onRetry={list.reload} />}
      {list.loading && !list.data && <Loading label={props.label} />}
      {list.data?.data.length === 0 && <EmptyState title={props.empty} />}
    </>
  );
}
