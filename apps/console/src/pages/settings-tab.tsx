import { useState, type ReactNode } from 'react';
import { useApi } from '../api/api-context';
import { seg } from '../api/http';
import type { Tenant, TenantSettings } from '../api/types';
import { Field, SelectField } from '../ui/field';
import { FormSummary } from '../ui/form-summary';
import { useSubmit } from '../ui/use-submit';

const num = (value: unknown, fallback: number): string =>
  String(typeof value === 'number' ? value : fallback);

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function sub(settings: Record<string, unknown>, key: string): Record<string, unknown> {
  const value = settings[key];
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/** The tenant settings operators change most: password policy, lockout, tokens, MFA, mail. */
export function SettingsTab(props: { tenant: Tenant; onSaved: () => void }): ReactNode {
  const { cp } = useApi();
  const s = props.tenant.settings;
  const [minLength, setMinLength] = useState(num(sub(s, 'password_policy').min_length, 8));
  const [maxFailures, setMaxFailures] = useState(num(sub(s, 'lockout').max_failures, 5));
  const [accessTtl, setAccessTtl] = useState(num(s.access_token_ttl, 900));
  const [refreshTtl, setRefreshTtl] = useState(num(s.refresh_token_ttl, 2592000));
  const [mfa, setMfa] = useState(typeof s.mfa === 'string' ? s.mfa : 'optional');
  const [mailFrom, setMailFrom] = useState(str(sub(s, 'mail').from));
  const [saved, setSaved] = useState('');

  const form = useSubmit(async () => {
    const settings: TenantSettings = {
      password_policy: { min_length: Number(minLength) },
      lockout: { max_failures: Number(maxFailures) },
      access_token_ttl: Number(accessTtl),
      refresh_token_ttl: Number(refreshTtl),
      mfa: mfa as 'off' | 'optional' | 'required',
      ...(mailFrom && { mail: { from: mailFrom } }),
    };
    setSaved('');
    await cp('PATCH', `/v1/tenants/${seg(props.tenant.slug)}`, { body: { settings } });
    setSaved('Settings saved.');
    props.onSaved();
  });

  const error = (path: string): string | undefined => form.fieldError(`settings.${path}`);
  return (
    <form onSubmit={form.onSubmit} noValidate aria-label="Tenant settings">
      <FormSummary form={form} fields={['settings']} />
      <fieldset>
        <legend>Passwords and lockout</legend>
        <Field
          label="Minimum password length"
          name="min_length"
          type="number"
          inputMode="numeric"
          value={minLength}
          onValue={setMinLength}
          error={error('password_policy.min_length')}
        />
        <Field
          label="Failed sign-ins before lockout"
          name="max_failures"
          type="number"
          inputMode="numeric"
          value={maxFailures}
          onValue={setMaxFailures}
          error={error('lockout.max_failures')}
        />
      </fieldset>
      <fieldset>
        <legend>Tokens</legend>
        <Field
          label="Access token lifetime (seconds)"
          name="access_token_ttl"
          type="number"
          value={accessTtl}
          onValue={setAccessTtl}
          error={error('access_token_ttl')}
        />
        <Field
          label="Refresh token lifetime (seconds)"
          name="refresh_token_ttl"
          type="number"
          value={refreshTtl}
          onValue={setRefreshTtl}
          error={error('refresh_token_ttl')}
        />
      </fieldset>
      <fieldset>
        <legend>MFA and mail</legend>
        <SelectField
          label="Multi-factor authentication"
          name="mfa"
          value={mfa}
          options={['off', 'optional', 'required']}
          onChange={setMfa}
          error={error('mfa')}
        />
        <Field
          label="Mail sender (From)"
          name="mail_from"
          type="email"
          value={mailFrom}
          onValue={setMailFrom}
          error={error('mail.from')}
        />
      </fieldset>
      <button type="submit" className="primary" disabled={form.pending}>
        {form.pending ? 'Saving…' : 'Save settings'}
      </button>
      <p role="status">{saved}</p>
    </form>
  );
}
