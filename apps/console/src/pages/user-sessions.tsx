import { useState, type ReactNode } from 'react';
import { useApi } from '../api/api-context';
import { seg } from '../api/http';
import type { AdminSession, AdminUserList } from '../api/types';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { Pager } from '../ui/pager';
import { ListStates } from '../ui/list-states';
import { usePagedList } from '../ui/use-paged-list';
import { useRemoval } from '../ui/use-removal';
import { when } from '../ui/when';

/**
 * One user's active sessions (`/v1/admin/users/{id}/sessions`), most recently used first, a page
 * at a time; ending one (after a confirm) stops its refresh tokens, unlike "Sign out", which ends
 * them all.
 */
export function UserSessions(props: {
  base: string;
  user: AdminUserList['data'][number];
  onClose: () => void;
}): ReactNode {
  const { dp } = useApi();
  const { user } = props;
  const path = `${props.base}/${seg(user.id)}/sessions`;
  const { list: sessions, paging } = usePagedList<AdminSession>(dp, path);
  const [notice, setNotice] = useState('');
  const removal = useRemoval(
    async (session: AdminSession) => {
      await dp('DELETE', `${path}/${seg(session.id)}`);
      return `Session ${session.id} of ${user.email} ended.`;
    },
    setNotice,
    sessions.reload,
  );
  const ending = removal.target;

  return (
    <section className="panel" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Sessions of {user.email}</h2>
      <p role="status">{notice}</p>
      <ListStates
        list={sessions}
        label="sessions"
        empty="No active sessions"
        failure={removal.error}
      />
      {sessions.data && sessions.data.data.length > 0 && (
        <div className="table-scroll">
          <table aria-busy={sessions.loading}>
            <caption>Sessions of {user.email}</caption>
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Expires</th>
                <th scope="col">Methods</th>
                <th scope="col">IP</th>
                <th scope="col">User agent</th>
                <th scope="col">Client</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {sessions.data.data.map((session) => (
                <tr key={session.id}>
                  <td>{session.kind}</td>
                  <td>{when(session.created_at)}</td>
                  <td>{when(session.last_used_at)}</td>
                  <td>{when(session.expires_at)}</td>
                  <td className="mono">{session.amr.join(' ')}</td>
                  <td className="mono">{session.ip ?? ''}</td>
                  <td>{session.user_agent ?? ''}</td>
                  <td className="mono">{session.client_id ?? ''}</td>
                  <td>
                    <button
                      type="button"
                      className="danger"
                      onClick={() => {
                        removal.ask(session);
                      }}
                    >
                      End session
                      <span className="visually-hidden">
                        {' '}
                        {session.kind} last used {when(session.last_used_at)}
                      </span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager {...paging} label="Pages of sessions" />
      {ending && (
        <ConfirmDialog
          title={`End this session of ${user.email}?`}
          confirmLabel="End session"
          onCancel={removal.cancel}
          onConfirm={removal.confirm}
        >
          <p>
            Its refresh tokens stop working at once; access tokens already issued last until they
            expire. The user's other sessions stay.
          </p>
        </ConfirmDialog>
      )}
      <button type="button" onClick={props.onClose}>
        Close
      </button>
    </section>
  );
}
