import { useState, type SubmitEvent, type ReactNode } from 'react';
import { useApi } from '../api/api-context';
import type { Page, Tenant } from '../api/types';
import { Link, useLocation } from '../router';
import { Field, SelectField } from '../ui/field';
import { Pager, goWithQuery } from '../ui/pager';
import { EmptyState, Loading, ProblemPanel } from '../ui/problem-panel';
import { StatusBadge } from '../ui/status-badge';
import { useResource } from '../ui/use-resource';

const STATUSES = ['', 'provisioning', 'active', 'failed', 'deleting'] as const;

/**
 * Tenants: status filter (server side), search over the page by slug or name, cursor paging.
 * Filters and the cursor live in the query string, so reload and Back keep them; a filter change
 * drops the cursor.
 */
export function TenantsPage(): ReactNode {
  const { cp } = useApi();
  const { query } = useLocation();
  const status = query.get('status') ?? '';
  const cursor = query.get('cursor') ?? '';
  const search = query.get('q') ?? '';
  const [draft, setDraft] = useState(search);
  const tenants = useResource(
    () => cp<Page<Tenant>>('GET', '/v1/tenants', { query: { status, cursor, limit: 20 } }),
    `${status}|${cursor}`,
  );

  function go(next: Record<string, string>): void {
    goWithQuery('/', { status, q: search, ...next });
  }

  function onSearch(event: SubmitEvent): void {
    event.preventDefault();
    go({ q: draft.trim(), cursor: '' });
  }

  const needle = search.toLowerCase();
  const rows = (tenants.data?.data ?? []).filter(
    (tenant) =>
      needle === '' || tenant.slug.includes(needle) || tenant.name.toLowerCase().includes(needle),
  );

  return (
    <>
      <p>
        <Link to="/tenants/new" className="button primary">
          Create tenant
        </Link>
      </p>
      <form className="filters" role="search" onSubmit={onSearch}>
        <Field
          label="Search by slug or name"
          name="q"
          type="search"
          value={draft}
          onValue={setDraft}
        />
        <SelectField
          label="Status"
          name="status"
          value={status}
          options={STATUSES}
          onChange={(value) => {
            go({ status: value, cursor: '' });
          }}
        />
        <button type="submit">Search</button>
      </form>
      {tenants.error && <ProblemPanel error={tenants.error} onRetry={tenants.reload} />}
      {tenants.loading && !tenants.data && <Loading label="tenants" />}
      {tenants.data && rows.length === 0 && (
        <EmptyState title={search || status ? 'No tenants match' : 'No tenants yet'}>
          {search || status ? (
            <button
              type="button"
              onClick={() => {
                go({ q: '', status: '', cursor: '' });
              }}
            >
              Clear filters
            </button>
          ) : (
            <p>A tenant is one isolated user base with its own database, keys and issuer.</p>
          )}
        </EmptyState>
      )}
      {rows.length > 0 && (
        <table aria-busy={tenants.loading}>
          <caption>Tenants</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Slug</th>
              <th scope="col">Status</th>
              <th scope="col">Database</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((tenant) => (
              <tr key={tenant.id}>
                <td>
                  <Link to={`/t/${tenant.slug}`}>{tenant.name}</Link>
                </td>
                <td className="mono">{tenant.slug}</td>
                <td>
                  <StatusBadge status={tenant.status} />
                </td>
                <td>{tenant.database.mode}</td>
                <td>{new Date(tenant.created_at).toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager
        cursor={cursor}
        nextCursor={tenants.data?.next_cursor}
        onNext={(next) => {
          go({ cursor: next });
        }}
      />
    </>
  );
}
