import type { ReactNode } from 'react';
import { useApi } from '../api/api-context';
import { seg } from '../api/http';
import type { Page, Role, Tenant } from '../api/types';
import { EmptyState, Loading, ProblemPanel } from '../ui/problem-panel';
import { useResource } from '../ui/use-resource';

/** The tenant's roles and their permissions (data plane admin routes). */
export function RolesTab(props: { tenant: Tenant }): ReactNode {
  const { dp } = useApi();
  const path = `/t/${seg(props.tenant.slug)}/v1/admin/roles`;
  const roles = useResource(() => dp<Page<Role>>('GET', path), path);
  return (
    <>
      {roles.error && <ProblemPanel error={roles.error} onRetry={roles.reload} />}
      {roles.loading && !roles.data && <Loading label="roles" />}
      {roles.data?.data.length === 0 && (
        <EmptyState title="No roles yet">
          <p>Roles bundle permissions; create them with hjctl or the data plane’s admin API.</p>
        </EmptyState>
      )}
      {roles.data && roles.data.data.length > 0 && (
        <table>
          <caption>Roles</caption>
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Name</th>
              <th scope="col">Permissions</th>
            </tr>
          </thead>
          <tbody>
            {roles.data.data.map((role) => (
              <tr key={role.key}>
                <td className="mono">{role.key}</td>
                <td>{role.name}</td>
                <td>{role.permissions.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
