import { useState, type ReactNode } from 'react';
import { useApi } from '../api/api-context';
import { asApiError, type ApiError } from '../api/api-error';
import { seg } from '../api/http';
import { useLocation } from '../router';
import type { Admin, ApiKey, ApiKeyWithSecret, InvitedAdmin, Page } from '../api/types';
import { Field, SelectField } from '../ui/field';
import { FormSummary } from '../ui/form-summary';
import { Pager, goWithQuery } from '../ui/pager';
import { EmptyState, Loading, ProblemPanel } from '../ui/problem-panel';
import { SecretOnce } from '../ui/secret-once';
import { StatusBadge } from '../ui/status-badge';
import { useResource } from '../ui/use-resource';
import { useSubmit } from '../ui/use-submit';

const ROLES = ['owner', 'admin', 'viewer'] as const;

/** What became of an invitation mail, in words the operator can act on. */
function invitationNote(admin: InvitedAdmin): string {
  const expires = admin.invitation
    ? ` The link works once, until ${new Date(admin.invitation.expires_at).toLocaleString()}.`
    : '';
  switch (admin.invitation?.mail) {
    case 'sent':
      return `Invitation mailed to ${admin.email}.${expires}`;
    case 'logged':
      return `${admin.email} is invited. No mail server is configured: the invitation link is in the control plane's log.${expires}`;
    case 'failed':
      return `${admin.email} is invited, but the mail could not be sent. Resend the invitation once mail works.`;
    default:
      return `${admin.email} is invited.`;
  }
}

/** Control-plane admins: list with status, invite by email (they choose their password), resend. */
export function AdminsPage(): ReactNode {
  const { cp } = useApi();
  const { query } = useLocation();
  const cursor = query.get('cursor') ?? '';
  const admins = useResource(
    () => cp<Page<Admin>>('GET', '/v1/admins', { query: { cursor, limit: 50 } }),
    `admins|${cursor}`,
  );
  const [email, setEmail] = useState('');
  const [role, setRole] = useState('admin');
  const [done, setDone] = useState('');
  const [resendError, setResendError] = useState<ApiError>();
  const form = useSubmit(async () => {
    // No password: the control plane mails a one-time link and the admin chooses one.
    const created = await cp<InvitedAdmin>('POST', '/v1/admins', {
      body: { email, role, invite: true },
    });
    setDone(invitationNote(created));
    setEmail('');
    admins.reload();
  });

  function resend(admin: Admin): void {
    setResendError(undefined);
    cp<InvitedAdmin>('POST', `/v1/admins/${seg(admin.id)}/invitation`, { body: {} }).then(
      (answer) => {
        setDone(invitationNote(answer));
        admins.reload();
      },
      (failure: unknown) => {
        setResendError(asApiError(failure));
      },
    );
  }

  return (
    <>
      {admins.error && <ProblemPanel error={admins.error} onRetry={admins.reload} />}
      {resendError && <ProblemPanel error={resendError} />}
      {admins.loading && !admins.data && <Loading label="admins" />}
      {admins.data && (
        <table>
          <caption>Control-plane admins</caption>
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {admins.data.data.map((admin) => (
              <tr key={admin.id}>
                <td>{admin.email}</td>
                <td>{admin.role}</td>
                <td>
                  <StatusBadge status={admin.status} />
                </td>
                <td>{new Date(admin.created_at).toLocaleString()}</td>
                <td>
                  {admin.status === 'invited' && (
                    <button
                      type="button"
                      onClick={() => {
                        resend(admin);
                      }}
                    >
                      Resend invitation<span className="visually-hidden"> to {admin.email}</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager
        cursor={cursor}
        nextCursor={admins.data?.next_cursor}
        onNext={(next) => {
          goWithQuery('/admins', { cursor: next });
        }}
      />
      <form onSubmit={form.onSubmit} noValidate aria-labelledby="create-admin">
        <h2 id="create-admin">Invite an admin</h2>
        <p className="muted">
          They get a one-time link (valid 72 hours) to choose their password and sign in.
        </p>
        <FormSummary form={form} fields={['email', 'role']} />
        <Field
          label="Admin email"
          name="email"
          type="email"
          autoComplete="off"
          value={email}
          onValue={setEmail}
          error={form.fieldError('email')}
        />
        <SelectField
          label="Role"
          name="role"
          value={role}
          options={ROLES}
          onChange={setRole}
          error={form.fieldError('role')}
        />
        <button type="submit" className="primary" disabled={form.pending}>
          {form.pending ? 'Inviting…' : 'Send invitation'}
        </button>
        <p role="status">{done}</p>
      </form>
    </>
  );
}

/** API keys: list, create (key shown once), revoke. */
export function ApiKeysPage(): ReactNode {
  const { cp } = useApi();
  const keys = useResource(() => cp<Page<ApiKey>>('GET', '/v1/api-keys'), 'api-keys');
  const [name, setName] = useState('');
  const [role, setRole] = useState('viewer');
  const [secret, setSecret] = useState<string>();
  const form = useSubmit(async () => {
    const created = await cp<ApiKeyWithSecret>('POST', '/v1/api-keys', { body: { name, role } });
    setSecret(created.key);
    setName('');
    keys.reload();
  });

  return (
    <>
      {secret !== undefined && (
        <SecretOnce
          label="API key"
          secret={secret}
          onDone={() => {
            setSecret(undefined);
          }}
        />
      )}
      {keys.error && <ProblemPanel error={keys.error} onRetry={keys.reload} />}
      {keys.loading && !keys.data && <Loading label="API keys" />}
      {keys.data?.data.length === 0 && (
        <EmptyState title="No API keys yet">
          <p>An API key lets automation (hjctl, CI, MCP) call both planes’ admin APIs.</p>
        </EmptyState>
      )}
      {keys.data && keys.data.data.length > 0 && (
        <table>
          <caption>API keys</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {keys.data.data.map((key) => (
              <tr key={key.id}>
                <td>{key.name}</td>
                <td>{key.role}</td>
                <td>
                  <button
                    type="button"
                    className="danger"
                    onClick={() =>
                      void cp('DELETE', `/v1/api-keys/${encodeURIComponent(key.id)}`).then(
                        keys.reload,
                        keys.reload,
                      )
                    }
                  >
                    Revoke<span className="visually-hidden"> {key.name}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form onSubmit={form.onSubmit} noValidate aria-labelledby="create-key">
        <h2 id="create-key">Create an API key</h2>
        <FormSummary form={form} fields={['name', 'role']} />
        <Field
          label="Key name"
          name="name"
          value={name}
          onValue={setName}
          error={form.fieldError('name')}
        />
        <SelectField
          label="Key role"
          name="role"
          value={role}
          options={ROLES}
          onChange={setRole}
          error={form.fieldError('role')}
        />
        <button type="submit" className="primary" disabled={form.pending}>
          {form.pending ? 'Creating…' : 'Create API key'}
        </button>
      </form>
    </>
  );
}
