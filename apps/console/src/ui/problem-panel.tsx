import type { ReactNode } from 'react';
import type { ApiError } from '../api/api-error';

/** A failed load: the problem's title and detail, the request id, and Retry. */
export function ProblemPanel(props: { error: ApiError; onRetry?: () => void }): ReactNode {
  const { error } = props;
  return (
    <div className="panel panel-error" role="alert">
      <p className="panel-title">
        <span aria-hidden="true">⚠ </span>
        {error.title}
      </p>
      {error.detail !== undefined && <p>{error.detail}</p>}
      {error.requestId !== undefined && (
        <p className="muted">
          Request id: <code>{error.requestId}</code>
        </p>
      )}
      {props.onRetry && (
        <button type="button" onClick={props.onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

/** A list with nothing in it yet: what it is for and the first step. */
export function EmptyState(props: { title: string; children?: ReactNode }): ReactNode {
  return (
    <div className="panel empty">
      <p className="panel-title">{props.title}</p>
      {props.children}
    </div>
  );
}

/** Placeholder rows while a table loads for the first time. */
export function Loading(props: { label: string }): ReactNode {
  return (
    <p className="loading" role="status">
      Loading {props.label}…
    </p>
  );
}
