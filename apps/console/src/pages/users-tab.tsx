import { useState, type ReactNode } from 'react';
import { useApi } from '../api/api-context';
import { seg } from '../api/http';
import type { AdminUserList, Tenant } from '../api/types';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { Field } from '../ui/field';
import { FormSummary } from '../ui/form-summary';
import { useSubmit } from '../ui/use-submit';
import { EmptyState, Loading, ProblemPanel } from '../ui/problem-panel';
import { StatusBadge } from '../ui/status-badge';
import { useResource } from '../ui/use-resource';
import { UserFactors } from './user-factors';
import { UserSessions } from './user-sessions';

type User = AdminUserList['data'][number];

/**
 * A tenant's users, through the data plane's admin routes (`/t/{slug}/v1/admin/users`) with the
 * same CP admin token: search by email, create, disable or enable, sign out everywhere, one user's
 * sessions (end one) and factors (reset), delete.
 */
export function UsersTab(props: { tenant: Tenant }): ReactNode {
  const { dp } = useApi();
  const base = `/t/${seg(props.tenant.slug)}/v1/admin/users`;
  const [email, setEmail] = useState('');
  const [search, setSearch] = useState('');
  const users = useResource(
    () => dp<AdminUserList>('GET', base, { query: { email: search, limit: 50 } }),
    `${base}|${search}`,
  );
  const [deleting, setDeleting] = useState<User>();
  // The per-user panel open below the table: one at a time.
  const [panel, setPanel] = useState<{ user: User; view: 'sessions' | 'factors' }>();
  const [message, setMessage] = useState('');

  function close(): void {
    setPanel(undefined);
  }

  async function act(label: string, action: () => Promise<unknown>): Promise<void> {
    try {
      await action();
      setMessage(label);
    } catch (failure) {
      setMessage(failure instanceof Error ? failure.message : 'The action failed');
    }
    users.reload();
  }

  return (
    <>
      <form
        className="filters"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          setSearch(email.trim());
        }}
      >
        <Field
          label="Search by email"
          name="email"
          type="search"
          value={email}
          onValue={setEmail}
        />
        <button type="submit">Search</button>
      </form>
      <p role="status">{message}</p>
      {users.error && <ProblemPanel error={users.error} onRetry={users.reload} />}
      {users.loading && !users.data && <Loading label="users" />}
      {users.data?.data.length === 0 && (
        <EmptyState title={search ? 'No users match' : 'No users yet'}>
          {search && (
            <button
              type="button"
              onClick={() => {
                setSearch('');
                setEmail('');
              }}
            >
              Clear filters
            </button>
          )}
        </EmptyState>
      )}
      {users.data && users.data.data.length > 0 && (
        <table>
          <caption>Users</caption>
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Name</th>
              <th scope="col">Status</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {users.data.data.map((user) => (
              <tr key={user.id}>
                <td>{user.email}</td>
                <td>{user.name ?? ''}</td>
                <td>
                  <StatusBadge status={user.status} />
                </td>
                <td className="row-actions">
                  <button
                    type="button"
                    onClick={() =>
                      void act(
                        `${user.email} ${user.status === 'active' ? 'disabled' : 'enabled'}.`,
                        () =>
                          dp('PATCH', `${base}/${seg(user.id)}`, {
                            body: { disabled: user.status === 'active' },
                          }),
                      )
                    }
                  >
                    {user.status === 'active' ? 'Disable' : 'Enable'}
                    <span className="visually-hidden"> {user.email}</span>
                  </button>
                  <button
                    type="button"
                    onClick={() =>
                      void act(`${user.email} signed out everywhere.`, () =>
                        dp('POST', `${base}/${seg(user.id)}/sign-out`),
                      )
                    }
                  >
                    Sign out<span className="visually-hidden"> {user.email}</span>
                  </button>
                  <button
                    type="button"
                    onClick={() => {
                      setPanel({ user, view: 'sessions' });
                    }}
                  >
                    Sessions<span className="visually-hidden"> of {user.email}</span>
                  </button>
                  <button
                    type="button"
                    onClick={() => {
                      setPanel({ user, view: 'factors' });
                    }}
                  >
                    Factors<span className="visually-hidden"> of {user.email}</span>
                  </button>
                  <button
                    type="button"
                    className="danger"
                    onClick={() => {
                      setDeleting(user);
                    }}
                  >
                    Delete<span className="visually-hidden"> {user.email}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {panel &&
        (panel.view === 'sessions' ? (
          <UserSessions key={panel.user.id} base={base} user={panel.user} onClose={close} />
        ) : (
          <UserFactors key={panel.user.id} base={base} user={panel.user} onClose={close} />
        ))}
      <CreateUserForm base={base} onCreated={users.reload} />
      {deleting && (
        <ConfirmDialog
          title={`Delete user ${deleting.email}?`}
          confirmLabel="Delete user"
          typeToConfirm={deleting.email}
          onCancel={() => {
            setDeleting(undefined);
          }}
          onConfirm={async () => {
            await act(`${deleting.email} deleted.`, () =>
              dp('DELETE', `${base}/${seg(deleting.id)}`),
            );
            setDeleting(undefined);
          }}
        >
          <p>Their sessions, factors and memberships are deleted with them.</p>
        </ConfirmDialog>
      )}
    </>
  );
}

function CreateUserForm(props: { base: string; onCreated: () => void }): ReactNode {
  const { dp } = useApi();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [done, setDone] = useState('');

  const form = useSubmit(async () => {
    await dp('POST', props.base, {
      body: { email, ...(name && { name }), ...(password && { password }) },
    });
    setDone(`User ${email} created.`);
    setEmail('');
    setName('');
    setPassword('');
    props.onCreated();
  });

  return (
    <form onSubmit={form.onSubmit} noValidate aria-labelledby="create-user">
      <h2 id="create-user">Create a user</h2>
      <FormSummary form={form} fields={['email', 'name', 'password']} />
      <Field
        label="User email"
        name="email"
        type="email"
        autoComplete="off"
        value={email}
        onValue={setEmail}
        error={form.fieldError('email')}
      />
      <Field
        label="User name"
        name="name"
        autoComplete="off"
        value={name}
        onValue={setName}
        error={form.fieldError('name')}
      />
      <Field
        label="Initial password"
        name="password"
        type="password"
        autoComplete="new-password"
        hint="Optional: without one, the user sets it through a reset link."
        value={password}
        onValue={setPassword}
        error={form.fieldError('password')}
      />
      <button type="submit" className="primary" disabled={form.pending}>
        {form.pending ? 'Creating…' : 'Create user'}
      </button>
      <p role="status">{done}</p>
    </form>
  );
}
