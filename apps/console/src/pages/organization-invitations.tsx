import { useState, type ReactNode } from 'react';
import { useApi } from '../api/api-context';
import { seg } from '../api/http';
import type { AdminOrganization, PendingInvitation } from '../api/types';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { Pager } from '../ui/pager';
import { ListStates } from '../ui/list-states';
import { usePagedList } from '../ui/use-paged-list';
import { useRemoval } from '../ui/use-removal';
import { when } from '../ui/when';

/**
 * One organization's pending invitations (newest first, a page at a time) and their revocation:
 * the mailed link stops working. Inviting stays with the organization's owners and admins
 * (`/v1/organizations/{org}/invitations`), whose name the mail carries.
 */
export function OrganizationInvitations(props: {
  tenantBase: string;
  organization: AdminOrganization;
}): ReactNode {
  const { dp } = useApi();
  const { organization } = props;
  const base = `${props.tenantBase}/organizations/${seg(organization.id)}/invitations`;
  const { list: invitations, paging } = usePagedList<PendingInvitation>(dp, base);
  const [notice, setNotice] = useState('');
  const removal = useRemoval(
    async (invitation: PendingInvitation) => {
      await dp('DELETE', `${base}/${seg(invitation.id)}`);
      return `Invitation of ${invitation.email} revoked.`;
    },
    setNotice,
    invitations.reload,
  );
  const revoking = removal.target;

  return (
    <section aria-labelledby="org-invitations">
      <h2 id="org-invitations">Pending invitations to {organization.name}</h2>
      <p role="status">{notice}</p>
      <ListStates
        list={invitations}
        label="invitations"
        empty="No pending invitations"
        failure={removal.error}
      />
      {invitations.data && invitations.data.data.length > 0 && (
        <table aria-busy={invitations.loading}>
          <caption>Pending invitations to {organization.name}</caption>
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Invited</th>
              <th scope="col">Expires</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {invitations.data.data.map((invitation) => (
              <tr key={invitation.id}>
                <td>{invitation.email}</td>
                <td className="mono">{invitation.role}</td>
                <td>{when(invitation.created_at)}</td>
                <td>{when(invitation.expires_at)}</td>
                <td>
                  <button
                    type="button"
                    className="danger"
                    onClick={() => {
                      removal.ask(invitation);
                    }}
                  >
                    Revoke<span className="visually-hidden"> invitation of {invitation.email}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager {...paging} label="Pages of invitations" />
      {revoking && (
        <ConfirmDialog
          title={`Revoke the invitation of ${revoking.email}?`}
          confirmLabel="Revoke invitation"
          onCancel={removal.cancel}
          onConfirm={removal.confirm}
        >
          <p>The link mailed to them stops working; they can be invited again.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
