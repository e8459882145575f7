import { useState, type ReactNode } from 'react';
import { useApi } from '../api/api-context';
import type { AdminTotpEnrolment } from '../api/types';
import { CopyableText } from '../ui/copyable-text';
import { Field } from '../ui/field';
import { FormSummary } from '../ui/form-summary';
import { QrCode } from '../ui/qr-code';
import { useSubmit } from '../ui/use-submit';

/**
 * The signed-in admin's own account: set up an authenticator app (TOTP), with recovery codes
 * shown once, or remove it with a current code.
 */
export function AccountPage(): ReactNode {
  const [codes, setCodes] = useState<string[]>();
  return (
    <>
      <section aria-labelledby="totp">
        <h2 id="totp">Authenticator app</h2>
        <p>
          With an authenticator app, signing in to the console asks for a 6-digit code after your
          password.
        </p>
        {codes !== undefined ? (
          <RecoveryCodes
            codes={codes}
            onDone={() => {
              setCodes(undefined);
            }}
          />
        ) : (
          <Enrol onConfirmed={setCodes} />
        )}
      </section>
      <RemoveTotp />
    </>
  );
}

function Enrol(props: { onConfirmed: (codes: string[]) => void }): ReactNode {
  const { cp } = useApi();
  const [enrolment, setEnrolment] = useState<AdminTotpEnrolment>();
  const [code, setCode] = useState('');
  const start = useSubmit(async () => {
    setEnrolment(await cp<AdminTotpEnrolment>('POST', '/v1/auth/totp', { body: {} }));
  });
  const confirm = useSubmit(async () => {
    const answer = await cp<{ recovery_codes: string[] }>('POST', '/v1/auth/totp/confirm', {
      body: { code: code.trim() },
    });
    setEnrolment(undefined);
    props.onConfirmed(answer.recovery_codes);
  });

  if (enrolment === undefined) {
    return (
      <form aria-label="Set up an authenticator" onSubmit={start.onSubmit}>
        <FormSummary form={start} fields={[]} />
        <button type="submit" className="primary" disabled={start.pending}>
          Set up an authenticator
        </button>
      </form>
    );
  }
  return (
    <form onSubmit={confirm.onSubmit} noValidate aria-label="Confirm the authenticator">
      <p>
        Add this account to your authenticator app: scan the QR code, paste the setup link into it,
        or type the secret key. Then type the code the app shows, within 10 minutes.
      </p>
      <div className="totp-setup">
        <QrCode text={enrolment.otpauth_uri} label="QR code of the setup link" />
        <div>
          <CopyableText label="Setup link (otpauth URI)" value={enrolment.otpauth_uri} />
          <CopyableText label="Secret key" value={enrolment.secret} />
        </div>
      </div>
      <FormSummary form={confirm} fields={['code']} />
      <Field
        label="Code from the app"
        name="code"
        inputMode="numeric"
        autoComplete="one-time-code"
        spellCheck={false}
        value={code}
        onValue={setCode}
        error={confirm.fieldError('code')}
      />
      <button type="submit" className="primary" disabled={confirm.pending}>
        {confirm.pending ? 'Confirming…' : 'Confirm'}
      </button>
    </form>
  );
}

/** Recovery codes, shown once: gone from memory after Done. */
function RecoveryCodes(props: { codes: string[]; onDone: () => void }): ReactNode {
  const [copied, setCopied] = useState(false);
  return (
    <section className="panel panel-secret" aria-labelledby="recovery-codes">
      <h3 id="recovery-codes">Recovery codes</h3>
      <p>
        The authenticator is set up. Each of these codes signs you in once if you lose the device.
        You won’t see them again: store them somewhere safe now.
      </p>
      <ul className="mono" aria-label="Recovery codes">
        {props.codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ul>
      <div className="actions">
        <button
          type="button"
          onClick={() =>
            void navigator.clipboard.writeText(props.codes.join('\n')).then(() => {
              setCopied(true);
            })
          }
        >
          Copy all
        </button>
        <button type="button" className="primary" onClick={props.onDone}>
          Done
        </button>
        <span role="status" className="muted">
          {copied ? 'Copied' : ''}
        </span>
      </div>
    </section>
  );
}

function RemoveTotp(): ReactNode {
  const { cp } = useApi();
  const [code, setCode] = useState('');
  const [done, setDone] = useState('');
  const form = useSubmit(async () => {
    setDone('');
    await cp('DELETE', '/v1/auth/totp', { body: { code: code.trim() } });
    setCode('');
    setDone('The authenticator is removed: signing in asks for your password only.');
  });

  return (
    <form onSubmit={form.onSubmit} noValidate aria-labelledby="remove-totp">
      <h2 id="remove-totp">Remove the authenticator</h2>
      <FormSummary form={form} fields={['code']} />
      <Field
        label="Current code or a recovery code"
        name="code"
        autoComplete="one-time-code"
        spellCheck={false}
        value={code}
        onValue={setCode}
        error={form.fieldError('code')}
      />
      <button type="submit" className="danger" disabled={form.pending}>
        Remove authenticator
      </button>
      <p role="status">{done}</p>
    </form>
  );
}
