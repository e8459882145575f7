import { useState, type ReactNode } from 'react';
import { useApi } from '../api/api-context';
import { seg } from '../api/http';
import type { ApiResource, Page, Tenant } from '../api/types';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { EmptyState, Loading, ProblemPanel } from '../ui/problem-panel';
import { RowActions } from '../ui/row-actions';
import { useRemoval } from '../ui/use-removal';
import { useResource } from '../ui/use-resource';
import { ResourceForm } from './resource-form';

/** API resources (audiences) defined for the tenant: list, create, edit, delete. */
export function ResourcesTab(props: { tenant: Tenant }): ReactNode {
  const { cp } = useApi();
  const base = `/v1/tenants/${seg(props.tenant.slug)}/resources`;
  const resources = useResource(() => cp<Page<ApiResource>>('GET', base), base);
  const [editing, setEditing] = useState<ApiResource>();
  const [notice, setNotice] = useState('');

  const removal = useRemoval(
    async (resource: ApiResource) => {
      await cp('DELETE', `${base}/${seg(resource.id)}`);
      return `API resource ${resource.name} deleted.`;
    },
    setNotice,
    resources.reload,
  );
  const deleting = removal.target;

  function saved(resource: ApiResource): void {
    setEditing(undefined);
    setNotice(`API resource ${resource.name} saved.`);
    resources.reload();
  }

  return (
    <>
      <p role="status">{notice}</p>
      {removal.error && <ProblemPanel error={removal.error} />}
      {resources.error && <ProblemPanel error={resources.error} onRetry={resources.reload} />}
      {resources.loading && !resources.data && <Loading label="API resources" />}
      {resources.data?.data.length === 0 && (
        <EmptyState title="No API resources yet">
          <p>An API resource is an audience your backends verify tokens for (docs/apis.md).</p>
        </EmptyState>
      )}
      {resources.data && resources.data.data.length > 0 && (
        <table>
          <caption>API resources</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Identifier</th>
              <th scope="col">Scopes</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {resources.data.data.map((resource) => (
              <tr key={resource.id}>
                <td>{resource.name}</td>
                <td className="mono">{resource.identifier}</td>
                <td>{resource.scopes.map((scope) => scope.name).join(', ')}</td>
                <td>
                  <RowActions
                    name={resource.name}
                    onEdit={() => {
                      setEditing(resource);
                    }}
                    onDelete={() => {
                      removal.ask(resource);
                    }}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete API resource ${deleting.name}?`}
          confirmLabel="Delete API resource"
          typeToConfirm={deleting.identifier}
          onCancel={removal.cancel}
          onConfirm={removal.confirm}
        >
          <p>
            Clients lose their grants on it and can no longer get tokens for {deleting.identifier};
            tokens already issued stay valid until they expire.
          </p>
        </ConfirmDialog>
      )}
      {editing ? (
        <ResourceForm
          key={editing.id}
          base={base}
          resource={editing}
          onSaved={saved}
          onCancel={() => {
            setEditing(undefined);
          }}
        />
      ) : (
        <ResourceForm base={base} onSaved={saved} />
      )}
    </>
  );
}
