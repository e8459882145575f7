import { useState, type ReactNode } from 'react';
import { useApi } from '../api/api-context';
import { seg } from '../api/http';
import type { AdminOrganization, AdminOrganizationList, Tenant } from '../api/types';
import { useLocation } from '../router';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { Field } from '../ui/field';
import { Pager, goWithQuery } from '../ui/pager';
import { EmptyState, Loading, ProblemPanel } from '../ui/problem-panel';
import { RowActions } from '../ui/row-actions';
import { useRemoval } from '../ui/use-removal';
import { useResource } from '../ui/use-resource';
import { OrganizationForm } from './organization-form';
import { OrganizationInvitations } from './organization-invitations';
import { OrganizationMembers } from './organization-members';

/**
 * A tenant's organizations through the data plane's operator routes
 * (`/t/{slug}/v1/admin/organizations`): search and cursor paging in the query string, create,
 * edit, delete (typed confirmation), and the chosen one's members with their roles and its
 * pending invitations.
 */
export function OrganizationsTab(props: { tenant: Tenant }): ReactNode {
  const { dp } = useApi();
  const tenantBase = `/t/${seg(props.tenant.slug)}/v1/admin`;
  const base = `${tenantBase}/organizations`;
  const here = `/t/${props.tenant.slug}/organizations`;
  const { query } = useLocation();
  const search = query.get('search') ?? '';
  const cursor = query.get('cursor') ?? '';
  const [draft, setDraft] = useState(search);
  const organizations = useResource(
    () => dp<AdminOrganizationList>('GET', base, { query: { search, cursor, limit: 20 } }),
    `${base}|${search}|${cursor}`,
  );
  const [chosen, setChosen] = useState<AdminOrganization>();
  const [editing, setEditing] = useState<AdminOrganization>();
  const [notice, setNotice] = useState('');

  const removal = useRemoval(
    async (organization: AdminOrganization) => {
      await dp('DELETE', `${base}/${seg(organization.id)}`);
      if (chosen?.id === organization.id) setChosen(undefined);
      return `Organization ${organization.name} deleted.`;
    },
    setNotice,
    organizations.reload,
  );
  const deleting = removal.target;

  function saved(organization: AdminOrganization): void {
    setEditing(undefined);
    setNotice(`Organization ${organization.name} saved.`);
    organizations.reload();
  }

  const rows = organizations.data?.data ?? [];
  return (
    <>
      <form
        className="filters"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          goWithQuery(here, { search: draft.trim() });
        }}
      >
        <Field
          label="Search by name or slug"
          name="search"
          type="search"
          value={draft}
          onValue={setDraft}
        />
        <button type="submit">Search</button>
      </form>
      <p role="status">{notice}</p>
      {removal.error && <ProblemPanel error={removal.error} />}
      {organizations.error && (
        <ProblemPanel error={organizations.error} onRetry={organizations.reload} />
      )}
      {organizations.loading && !organizations.data && <Loading label="organizations" />}
      {organizations.data && rows.length === 0 && (
        <EmptyState title={search ? 'No organizations match' : 'No organizations yet'}>
          {search ? (
            <button
              type="button"
              onClick={() => {
                setDraft('');
                goWithQuery(here, {});
              }}
            >
              Clear filters
            </button>
          ) : (
            <p>An organization groups users (a customer, a team) with roles inside it.</p>
          )}
        </EmptyState>
      )}
      {rows.length > 0 && (
        <table aria-busy={organizations.loading}>
          <caption>Organizations</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Slug</th>
              <th scope="col">Created</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((organization) => (
              <tr key={organization.id}>
                <td>{organization.name}</td>
                <td className="mono">{organization.slug}</td>
                <td>{new Date(organization.created_at).toLocaleString()}</td>
                <td>
                  <RowActions
                    name={organization.name}
                    onEdit={() => {
                      setEditing(organization);
                    }}
                    onDelete={() => {
                      removal.ask(organization);
                    }}
                  >
                    <button
                      type="button"
                      onClick={() => {
                        setChosen(organization);
                      }}
                    >
                      Members<span className="visually-hidden"> of {organization.name}</span>
                    </button>{' '}
                  </RowActions>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager
        cursor={cursor}
        nextCursor={organizations.data?.next_cursor}
        onNext={(next) => {
          goWithQuery(here, { search, cursor: next });
        }}
      />
      {deleting && (
        <ConfirmDialog
          title={`Delete organization ${deleting.name}?`}
          confirmLabel="Delete organization"
          typeToConfirm={deleting.slug}
          onCancel={removal.cancel}
          onConfirm={removal.confirm}
        >
          <p>
            Its memberships and pending invitations go with it; the users stay. Tokens already
            issued keep its claims until they expire.
          </p>
        </ConfirmDialog>
      )}
      {chosen && (
        <OrganizationMembers key={chosen.id} tenantBase={tenantBase} organization={chosen} />
      )}
      {chosen && (
        <OrganizationInvitations
          key={`${chosen.id}-invitations`}
          tenantBase={tenantBase}
          organization={chosen}
        />
      )}
      {editing ? (
        <OrganizationForm
          key={editing.id}
          base={base}
          organization={editing}
          onSaved={saved}
          onCancel={() => {
            setEditing(undefined);
          }}
        />
      ) : (
        <OrganizationForm base={base} onSaved={saved} />
      )}
    </>
  );
}
