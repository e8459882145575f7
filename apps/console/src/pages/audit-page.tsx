import { useState, type SubmitEvent, type ReactNode } from 'react';
import { useApi } from '../api/api-context';
import type { AuditEntry, Page } from '../api/types';
import { useLocation } from '../router';
import { Field } from '../ui/field';
import { Pager, goWithQuery } from '../ui/pager';
import { EmptyState, Loading, ProblemPanel } from '../ui/problem-panel';
import { useResource } from '../ui/use-resource';

const FILTERS = ['actor', 'action', 'target'] as const;

/** The control plane's audit log, newest first, filtered by actor, action or target. */
export function AuditPage(): ReactNode {
  const { cp } = useApi();
  const { query } = useLocation();
  const current = Object.fromEntries(FILTERS.map((key) => [key, query.get(key) ?? '']));
  const cursor = query.get('cursor') ?? '';
  const [draft, setDraft] = useState(current);
  const key = query.toString();
  const log = useResource(
    () =>
      cp<Page<AuditEntry>>('GET', '/v1/audit-log', { query: { ...current, cursor, limit: 50 } }),
    key,
  );

  function go(next: Record<string, string>): void {
    goWithQuery('/audit', next);
  }

  function onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    go(draft);
  }

  return (
    <>
      <form className="filters" role="search" onSubmit={onSubmit}>
        {FILTERS.map((name) => (
          <Field
            key={name}
            label={(name[0] ?? '').toUpperCase() + name.slice(1)}
            name={name}
            value={draft[name] ?? ''}
            onChange={(e) => {
              setDraft({ ...draft, [name]: e.target.value });
            }}
          />
        ))}
        <button type="submit">Filter</button>
      </form>
      {log.error && <ProblemPanel error={log.error} onRetry={log.reload} />}
      {log.loading && !log.data && <Loading label="audit log" />}
      {log.data?.data.length === 0 && (
        <EmptyState title="No entries match">
          <button
            type="button"
            onClick={() => {
              setDraft({ actor: '', action: '', target: '' });
              go({});
            }}
          >
            Clear filters
          </button>
        </EmptyState>
      )}
      {log.data && log.data.data.length > 0 && (
        <table>
          <caption>Audit log</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Actor</th>
              <th scope="col">Action</th>
              <th scope="col">Target</th>
              <th scope="col">Outcome</th>
            </tr>
          </thead>
          <tbody>
            {log.data.data.map((entry) => (
              <tr key={entry.id}>
                <td>{new Date(entry.created_at).toLocaleString()}</td>
                <td>{entry.actor}</td>
                <td className="mono">{entry.action}</td>
                <td className="mono">{entry.target ?? ''}</td>
                <td>{entry.outcome}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager
        cursor={cursor}
        nextCursor={log.data?.next_cursor}
        onNext={(next) => {
          go({ ...current, cursor: next });
        }}
      />
    </>
  );
}
