import { useState, type ReactNode } from 'react';
import { useApi } from '../api/api-context';
import type { CreateTenantInput, Tenant } from '../api/types';
import { navigate } from '../router';
import { Field, SelectField } from '../ui/field';
import { FormSummary } from '../ui/form-summary';
import { useSubmit } from '../ui/use-submit';

const FIELDS = ['slug', 'name', 'database', 'settings'] as const;

/** Creates a tenant (202, provisioning) and goes to its page, which watches it become active. */
export function CreateTenantPage(): ReactNode {
  const { cp } = useApi();
  const [slug, setSlug] = useState('');
  const [name, setName] = useState('');
  const [mode, setMode] = useState('managed');
  const [driver, setDriver] = useState('pg');
  const [dsn, setDsn] = useState('');
  const [mfa, setMfa] = useState('optional');

  const form = useSubmit(async () => {
    const body: CreateTenantInput = {
      slug,
      name,
      database:
        mode === 'external'
          ? { mode: 'external', driver: driver === 'mysql' ? 'mysql' : 'pg', dsn }
          : { mode: 'managed' },
      settings: { mfa: mfa as 'off' | 'optional' | 'required' },
    };
    const tenant = await cp<Tenant>('POST', '/v1/tenants', { body });
    navigate(`/t/${tenant.slug}`);
  });

  return (
    <form onSubmit={form.onSubmit} noValidate aria-label="Create tenant">
      <FormSummary form={form} fields={FIELDS} />
      <Field
        label="Slug"
        name="slug"
        hint="Lower-case letters, digits and dashes; part of the issuer URL and never changed."
        required
        spellCheck={false}
        autoCapitalize="off"
        value={slug}
        onValue={setSlug}
        error={form.fieldError('slug')}
      />
      <Field
        label="Name"
        name="name"
        required
        value={name}
        onValue={setName}
        error={form.fieldError('name')}
      />
      <SelectField
        label="Database"
        name="mode"
        value={mode}
        options={['managed', 'external']}
        onChange={setMode}
        error={form.fieldError('database')}
      />
      {mode === 'external' && (
        <>
          <SelectField
            label="Driver"
            name="driver"
            value={driver}
            options={['pg', 'mysql']}
            onChange={setDriver}
          />
          <Field
            label="DSN"
            name="dsn"
            hint="Stored encrypted; shown masked afterwards."
            autoComplete="off"
            value={dsn}
            onValue={setDsn}
            error={form.fieldError('database.dsn')}
          />
        </>
      )}
      <SelectField
        label="Multi-factor authentication"
        name="mfa"
        value={mfa}
        options={['off', 'optional', 'required']}
        onChange={setMfa}
        error={form.fieldError('settings.mfa')}
      />
      <button type="submit" className="primary" disabled={form.pending}>
        {form.pending ? 'Creating…' : 'Create tenant'}
      </button>
    </form>
  );
}
