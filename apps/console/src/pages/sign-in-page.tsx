import { useState, type ReactNode } from 'react';
import { useApi } from '../api/api-context';
import type { AdminMfaRequired } from '../api/types';
import { Field } from '../ui/field';
import { FormSummary } from '../ui/form-summary';
import { useSubmit } from '../ui/use-submit';

/**
 * Sign-in with a CP admin's email and password, then, for an admin with an authenticator, the
 * code step; `expired` says why the operator is back here.
 */
export function SignInPage(props: { expired: boolean }): ReactNode {
  const { session } = useApi();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [challenge, setChallenge] = useState<AdminMfaRequired>();
  const form = useSubmit(async () => {
    const answer = await session.signIn(email, password);
    if (answer === undefined) return;
    // The password has done its job: do not keep it in memory during the code step.
    setPassword('');
    setChallenge(answer);
  });

  return (
    <main id="main" className="sign-in">
      <h1>Sign in to HelloJohn</h1>
      {props.expired && (
        <p className="panel" role="status">
          Your session has expired. Sign in again to continue where you were.
        </p>
      )}
      {challenge !== undefined ? (
        <MfaStep
          challenge={challenge}
          onRestart={() => {
            setChallenge(undefined);
          }}
        />
      ) : (
        <form onSubmit={form.onSubmit} noValidate aria-label="Sign in">
          <FormSummary form={form} fields={['email', 'password']} />
          <Field
            label="Email"
            name="email"
            type="email"
            autoComplete="username"
            spellCheck={false}
            autoCapitalize="off"
            autoFocus
            required
            value={email}
            onValue={setEmail}
            error={form.fieldError('email')}
          />
          <Field
            label="Password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onValue={setPassword}
            error={form.fieldError('password')}
          />
          <button type="submit" className="primary" disabled={form.pending}>
            {form.pending ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      )}
    </main>
  );
}

/** The second step: a code from the authenticator, or a recovery code. */
function MfaStep(props: { challenge: AdminMfaRequired; onRestart: () => void }): ReactNode {
  const { session } = useApi();
  const [code, setCode] = useState('');
  const form = useSubmit(() => session.verifyMfa(props.challenge.mfa_token, code.trim()));
  const recovery = props.challenge.factors.includes('recovery_code');
  // The challenge itself is spent or expired: only a new sign-in helps.
  const restart = form.error?.code === 'mfa_token_invalid';

  return (
    <form onSubmit={form.onSubmit} noValidate aria-label="Two-step verification">
      <h2>Two-step verification</h2>
      <FormSummary form={form} fields={['code']} />
      <Field
        label="Authentication code"
        name="code"
        hint={
          recovery
            ? 'The 6-digit code from your authenticator app, or one of your recovery codes.'
            : 'The 6-digit code from your authenticator app.'
        }
        autoComplete="one-time-code"
        spellCheck={false}
        autoCapitalize="off"
        autoFocus
        required
        value={code}
        onValue={setCode}
        error={form.fieldError('code')}
      />
      <div className="actions">
        <button type="submit" className="primary" disabled={form.pending || restart}>
          {form.pending ? 'Verifying…' : 'Verify'}
        </button>
        <button type="button" onClick={props.onRestart}>
          {restart ? 'Sign in again' : 'Back'}
        </button>
      </div>
    </form>
  );
}
