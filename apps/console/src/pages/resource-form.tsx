import { useId, useState, type ReactNode } from 'react';
import { useApi } from '../api/api-context';
import { createOrUpdate } from '../api/save';
import type { ApiResource } from '../api/types';
import { Field, SelectField } from '../ui/field';
import { FormActions } from '../ui/form-actions';
import { FormSummary } from '../ui/form-summary';
import { useSubmit } from '../ui/use-submit';

const ALGS = ['EdDSA', 'RS256', 'ES256'] as const;
const SUBJECTS = ['both', 'users', 'machines'] as const;
const FIELDS = [
  'name',
  'identifier',
  'scopes',
  'access_token_alg',
  'access_token_ttl',
  'subjects',
] as const;

/**
 * The scopes field as the API's scope list. Names are typed space-separated; a name the resource
 * already had keeps its description.
 */
function scopesOf(text: string, before: ApiResource['scopes']): ApiResource['scopes'] {
  const names = text.split(/[\s,]+/).filter(Boolean);
  return names.map((name) => ({
    name,
    description: before.find((scope) => scope.name === name)?.description ?? null,
  }));
}

/** Creates an API resource, or edits `resource` (scopes dropped here leave client grants too). */
export function ResourceForm(props: {
  base: string;
  resource?: ApiResource;
  onSaved: (saved: ApiResource) => void;
  onCancel?: () => void;
}): ReactNode {
  const { cp } = useApi();
  const headingId = useId();
  const { resource } = props;
  const [name, setName] = useState(resource?.name ?? '');
  const [identifier, setIdentifier] = useState(resource?.identifier ?? '');
  const [scopes, setScopes] = useState(resource?.scopes.map((s) => s.name).join(' ') ?? '');
  const [alg, setAlg] = useState<string>(resource?.access_token_alg ?? 'EdDSA');
  const [ttl, setTtl] = useState(resource?.access_token_ttl?.toString() ?? '');
  const [subjects, setSubjects] = useState<string>(resource?.subjects ?? 'both');
  const form = useSubmit(async () => {
    const body = {
      name,
      identifier,
      scopes: scopesOf(scopes, resource?.scopes ?? []),
      access_token_alg: alg,
      access_token_ttl: ttl.trim() === '' ? null : Number(ttl),
      subjects,
    };
    const saved = await createOrUpdate<ApiResource>(cp, props.base, resource?.id, body);
    if (!resource) {
      setName('');
      setIdentifier('');
      setScopes('');
    }
    props.onSaved(saved);
  });

  const [idle, busy] = resource
    ? ['Save API resource', 'Saving…']
    : ['Create API resource', 'Creating…'];
  return (
    <form onSubmit={form.onSubmit} noValidate aria-labelledby={headingId}>
      <h2 id={headingId}>
        {resource ? `Edit API resource ${resource.name}` : 'Create an API resource'}
      </h2>
      <FormSummary form={form} fields={FIELDS} />
      <Field
        label="Resource name"
        name="name"
        value={name}
        onValue={setName}
        error={form.fieldError('name')}
      />
      <Field
        label="Identifier (audience)"
        name="identifier"
        type="url"
        spellCheck={false}
        hint="An absolute URI, e.g. https://api.example.com; the aud of its access tokens."
        value={identifier}
        onValue={setIdentifier}
        error={form.fieldError('identifier')}
      />
      <Field
        label="Scopes"
        name="scopes"
        spellCheck={false}
        hint="Space-separated permissions, e.g. invoices:read invoices:write."
        value={scopes}
        onValue={setScopes}
        error={form.fieldError('scopes')}
      />
      <SelectField
        label="Access token signing"
        name="access_token_alg"
        value={alg}
        options={ALGS}
        onChange={setAlg}
        error={form.fieldError('access_token_alg')}
      />
      <Field
        label="Access token lifetime (seconds)"
        name="access_token_ttl"
        inputMode="numeric"
        hint="60 to 86400; empty: the client's, else the tenant's."
        value={ttl}
        onValue={setTtl}
        error={form.fieldError('access_token_ttl')}
      />
      <SelectField
        label="Who gets tokens"
        name="subjects"
        value={subjects}
        options={SUBJECTS}
        onChange={setSubjects}
        error={form.fieldError('subjects')}
      />
      <FormActions
        pending={form.pending}
        label={idle}
        pendingLabel={busy}
        {...(props.onCancel && { onCancel: props.onCancel })}
      />
    </form>
  );
}
