import { useState, type ReactNode } from 'react';
import { useApi } from '../api/api-context';
import { seg } from '../api/http';
import type { AdminMfaFactorList, AdminUserList } from '../api/types';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { ProblemPanel } from '../ui/problem-panel';
import { useRemoval } from '../ui/use-removal';
import { useResource } from '../ui/use-resource';
import { when } from '../ui/when';

type User = AdminUserList['data'][number];

/**
 * One user's second factors and recovery codes left (`/v1/admin/users/{id}/mfa`), and the reset
 * for a user who lost their authenticator: every factor and recovery code deleted, after a confirm.
 */
export function UserFactors(props: { base: string; user: User; onClose: () => void }): ReactNode {
  const { dp } = useApi();
  const { user } = props;
  const path = `${props.base}/${seg(user.id)}/mfa`;
  const factors = useResource(() => dp<AdminMfaFactorList>('GET', path), path);
  const [notice, setNotice] = useState('');
  const reset = useRemoval(
    async (target: User) => {
      await dp('DELETE', path);
      return `MFA of ${target.email} reset.`;
    },
    setNotice,
    factors.reload,
  );
  const data = factors.data;
  const enrolled =
    data !== undefined && (data.factors.length > 0 || data.recovery_codes_remaining > 0);

  return (
    <section className="panel" aria-labelledby="factors-title">
      <h2 id="factors-title">Factors of {user.email}</h2>
      <p role="status">{notice}</p>
      {reset.error && <ProblemPanel error={reset.error} />}
      {factors.error && <ProblemPanel error={factors.error} onRetry={factors.reload} />}
      {data?.factors.length === 0 && <p>No factors enrolled.</p>}
      {data && data.factors.length > 0 && (
        <ul>
          {data.factors.map((factor) => (
            <li key={factor.id}>
              {factor.type} {factor.name ?? ''} {factor.confirmed ? '' : '(not confirmed)'}
              {factor.last_used_at !== null && ` — last used ${when(factor.last_used_at)}`}
            </li>
          ))}
        </ul>
      )}
      {data && <p>Recovery codes left: {data.recovery_codes_remaining}</p>}
      <div className="actions">
        {enrolled && (
          <button
            type="button"
            className="danger"
            onClick={() => {
              reset.ask(user);
            }}
          >
            Reset MFA<span className="visually-hidden"> of {user.email}</span>
          </button>
        )}
        <button type="button" onClick={props.onClose}>
          Close
        </button>
      </div>
      {reset.target && (
        <ConfirmDialog
          title={`Reset MFA of ${user.email}?`}
          confirmLabel="Reset MFA"
          onCancel={reset.cancel}
          onConfirm={reset.confirm}
        >
          <p>
            Every factor and recovery code of theirs is deleted. Under <code>mfa: required</code>{' '}
            they enrol again at their next sign-in.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
