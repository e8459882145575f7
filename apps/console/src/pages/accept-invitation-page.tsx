import { useState, type ReactNode, type SyntheticEvent } from 'react';
import { useApi } from '../api/api-context';
import { Field } from '../ui/field';
import { FormSummary } from '../ui/form-summary';
import { useSubmit } from '../ui/use-submit';

/** The invitation link's hash route: `{HJ_CP_URL}/console/#/accept-invitation?token=...`. */
const INVITATION_ROUTE = /^#\/accept-invitation\?(.*)$/;

/**
 * Reads the invitation token from the address bar and takes it out of it at once
 * (history.replaceState: no reload, no history entry), so it does not linger in the address bar,
 * the history or a bookmark. Undefined when the URL is no invitation link.
 */
export function takeInvitationToken(): string | undefined {
  const match = INVITATION_ROUTE.exec(window.location.hash);
  if (!match) return undefined;
  window.history.replaceState(null, '', window.location.pathname + window.location.search);
  const token = new URLSearchParams(match[1]).get('token') ?? '';
  return token === '' ? undefined : token;
}

/** An invited admin chooses a password; accepting signs them in. */
export function AcceptInvitationPage(props: { token: string; onDone: () => void }): ReactNode {
  const { session } = useApi();
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [mismatch, setMismatch] = useState(false);

  const form = useSubmit(async () => {
    await session.acceptInvitation(props.token, password);
    props.onDone();
  });

  // The two fields are compared here, before any request and without a pending state.
  function onSubmit(event: SyntheticEvent): void {
    setMismatch(password !== repeat);
    if (password === repeat) form.onSubmit(event);
    else event.preventDefault();
  }

  // The link is spent, expired or replaced by a resend: only a new invitation helps.
  const dead = form.error?.code === 'invalid_invitation';
  return (
    <main id="main" className="sign-in">
      <h1>Accept your invitation</h1>
      <p>Choose a password for your HelloJohn console account.</p>
      <form onSubmit={onSubmit} noValidate aria-label="Accept invitation">
        <FormSummary form={form} fields={['password']} />
        {dead && (
          <p className="panel">
            Ask an owner of this console to send you a new invitation, or{' '}
            <a href={window.location.pathname}>sign in</a> if you already accepted it.
          </p>
        )}
        <Field
          label="New password"
          name="password"
          type="password"
          autoComplete="new-password"
          autoFocus
          required
          value={password}
          onValue={setPassword}
          error={form.fieldError('password')}
        />
        <Field
          label="Repeat the password"
          name="password-repeat"
          type="password"
          autoComplete="new-password"
          required
          value={repeat}
          onValue={setRepeat}
          error={mismatch ? 'The two passwords differ.' : undefined}
        />
        <button type="submit" className="primary" disabled={form.pending || dead}>
          {form.pending ? 'Signing in…' : 'Set password and sign in'}
        </button>
      </form>
    </main>
  );
}
