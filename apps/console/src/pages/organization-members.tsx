import { useId, useState, type ReactNode } from 'react';
import { useApi } from '../api/api-context';
import { apiErrorOf } from '../api/api-error';
import { seg } from '../api/http';
import type {
  AdminOrganization,
  AdminUserList,
  OrganizationMember,
  Page,
  Role,
} from '../api/types';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { Field } from '../ui/field';
import { FormActions } from '../ui/form-actions';
import { FormSummary } from '../ui/form-summary';
import { EmptyState, Loading, ProblemPanel } from '../ui/problem-panel';
import { useRemoval } from '../ui/use-removal';
import { useResource } from '../ui/use-resource';
import { useSubmit } from '../ui/use-submit';

/**
 * The members of one organization with their roles: add a user (by email) with a role, change a
 * member's role (the same PUT), remove a member. The last owner cannot leave (409 last_owner).
 */
export function OrganizationMembers(props: {
  tenantBase: string;
  organization: AdminOrganization;
}): ReactNode {
  const { dp } = useApi();
  const { organization, tenantBase } = props;
  const base = `${tenantBase}/organizations/${seg(organization.id)}/members`;
  const members = useResource(
    () => dp<Page<OrganizationMember>>('GET', base, { query: { limit: 100 } }),
    base,
  );
  const roles = useResource(
    () => dp<Page<Role>>('GET', `${tenantBase}/roles`),
    `${tenantBase}/roles`,
  );
  const [email, setEmail] = useState('');
  const [role, setRole] = useState('');
  const [notice, setNotice] = useState('');
  const rolesId = useId();

  const form = useSubmit(async () => {
    // The PUT names a user id; operators know emails. The search is by prefix: take the exact one.
    const found = await dp<AdminUserList>('GET', `${tenantBase}/users`, {
      query: { email: email.trim(), limit: 20 },
    });
    const user = found.data.find((u) => u.email.toLowerCase() === email.trim().toLowerCase());
    if (!user) {
      throw apiErrorOf(404, {
        title: 'No such user',
        status: 404,
        code: 'user_not_found',
        errors: [{ path: 'email', message: 'no user of this tenant has this email' }],
      });
    }
    const member = await dp<OrganizationMember>('PUT', `${base}/${seg(user.id)}`, {
      body: { role: role.trim() },
    });
    setNotice(`${member.email} is ${member.role} of ${organization.name}.`);
    setEmail('');
    members.reload();
  });

  const removal = useRemoval(
    async (member: OrganizationMember) => {
      await dp('DELETE', `${base}/${seg(member.user_id)}`);
      return `${member.email} removed from ${organization.name}.`;
    },
    setNotice,
    members.reload,
  );
  const deleting = removal.target;

  const known = roles.data?.data ?? [];
  return (
    <section aria-labelledby="org-members">
      <h2 id="org-members">Members of {organization.name}</h2>
      <p role="status">{notice}</p>
      {removal.error && <ProblemPanel error={removal.error} />}
      {members.error && <ProblemPanel error={members.error} onRetry={members.reload} />}
      {members.loading && !members.data && <Loading label="members" />}
      {members.data?.data.length === 0 && <EmptyState title="No members yet" />}
      {members.data && members.data.data.length > 0 && (
        <table>
          <caption>Members of {organization.name}</caption>
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Joined</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {members.data.data.map((member) => (
              <tr key={member.user_id}>
                <td>{member.email}</td>
                <td>{member.name ?? ''}</td>
                <td className="mono">{member.role}</td>
                <td>{new Date(member.joined_at).toLocaleString()}</td>
                <td>
                  <button
                    type="button"
                    onClick={() => {
                      setEmail(member.email);
                      setRole(member.role);
                    }}
                  >
                    Change role<span className="visually-hidden"> of {member.email}</span>
                  </button>{' '}
                  <button
                    type="button"
                    className="danger"
                    onClick={() => {
                      removal.ask(member);
                    }}
                  >
                    Remove<span className="visually-hidden"> {member.email}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {deleting && (
        <ConfirmDialog
          title={`Remove ${deleting.email} from ${organization.name}?`}
          confirmLabel="Remove member"
          onCancel={removal.cancel}
          onConfirm={removal.confirm}
        >
          <p>Their next tokens no longer carry this organization or its role; the account stays.</p>
        </ConfirmDialog>
      )}
      <form onSubmit={form.onSubmit} noValidate aria-labelledby="org-member-form">
        <h3 id="org-member-form">Add a member or change a role</h3>
        <FormSummary form={form} fields={['email', 'role']} />
        <Field
          label="Member email"
          name="email"
          type="email"
          autoComplete="off"
          value={email}
          onValue={setEmail}
          error={form.fieldError('email')}
        />
        <Field
          label="Member role"
          name="role"
          spellCheck={false}
          list={rolesId}
          hint={
            known.length > 0
              ? `A tenant role (${known.map((r) => r.key).join(', ')}) or one of the organization's own.`
              : 'A role key; define roles first (Roles tab, hjctl or the admin API).'
          }
          value={role}
          onValue={setRole}
          error={form.fieldError('role')}
        />
        <datalist id={rolesId}>
          {known.map((r) => (
            <option key={r.key} value={r.key} />
          ))}
        </datalist>
        <FormActions pending={form.pending} label="Save member" pendingLabel="Saving…" />
      </form>
    </section>
  );
}
