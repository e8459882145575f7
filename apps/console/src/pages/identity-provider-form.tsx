import { useId, useState, type ReactNode } from 'react';
import { useApi } from '../api/api-context';
import { createOrUpdate } from '../api/save';
import type { IdentityProvider, IdentityProviderType } from '../api/types';
import { Field, SelectField } from '../ui/field';
import { FormActions } from '../ui/form-actions';
import { FormSummary } from '../ui/form-summary';
import { useSubmit } from '../ui/use-submit';

const TYPES: readonly IdentityProviderType[] = ['oidc', 'google', 'github', 'microsoft', 'apple'];

/** The form's fields; only those of the chosen type are sent. */
interface Draft {
  type: IdentityProviderType;
  name: string;
  clientId: string;
  clientSecret: string;
  issuer: string;
  teamId: string;
  keyId: string;
  privateKey: string;
  scopes: string;
}

const EMPTY: Draft = {
  type: 'oidc',
  name: '',
  clientId: '',
  clientSecret: '',
  issuer: '',
  teamId: '',
  keyId: '',
  privateKey: '',
  scopes: '',
};

/** An existing provider as a draft: the secret and Apple key are write-only, never pre-filled. */
function draftOf(provider: IdentityProvider): Draft {
  return {
    type: provider.type,
    name: provider.name,
    clientId: provider.client_id,
    clientSecret: '',
    issuer: provider.issuer ?? '',
    teamId: provider.apple?.team_id ?? '',
    keyId: provider.apple?.key_id ?? '',
    privateKey: '',
    scopes: provider.scopes.join(' '),
  };
}

const hasIssuer = (draft: Draft): boolean =>
  draft.type === 'oidc' || (draft.type === 'microsoft' && draft.issuer !== '');

/** The create body for `draft.type` (docs/federation.md): Apple signs with a key, not a secret. */
function createBody(draft: Draft): Record<string, unknown> {
  const scopes = draft.scopes.split(/\s+/).filter(Boolean);
  return {
    type: draft.type,
    name: draft.name,
    client_id: draft.clientId,
    ...(draft.type === 'apple'
      ? { apple: { team_id: draft.teamId, key_id: draft.keyId, private_key: draft.privateKey } }
      : { client_secret: draft.clientSecret }),
    ...(hasIssuer(draft) && { issuer: draft.issuer }),
    ...(scopes.length > 0 && { scopes }),
  };
}

/**
 * The PATCH body: a blank secret (or Apple key) keeps the stored one. Apple's ids travel only
 * with a new key, since the control plane replaces the three together.
 */
function updateBody(draft: Draft): Record<string, unknown> {
  return {
    name: draft.name,
    client_id: draft.clientId,
    scopes: draft.scopes.split(/\s+/).filter(Boolean),
    ...(hasIssuer(draft) && { issuer: draft.issuer }),
    ...(draft.type !== 'apple' &&
      draft.clientSecret !== '' && { client_secret: draft.clientSecret }),
    ...(draft.type === 'apple' &&
      draft.privateKey !== '' && {
        apple: { team_id: draft.teamId, key_id: draft.keyId, private_key: draft.privateKey },
      }),
  };
}

/**
 * Adds a provider, or edits `provider` when given (its type is fixed then). Secrets are
 * write-only: the fields start blank and blank means "keep the stored one".
 */
export function ProviderForm(props: {
  base: string;
  provider?: IdentityProvider;
  onSaved: (provider: IdentityProvider) => void;
  onCancel?: () => void;
}): ReactNode {
  const { cp } = useApi();
  const keyId = useId();
  const headingId = useId();
  const { provider } = props;
  const [draft, setDraft] = useState<Draft>(provider ? draftOf(provider) : EMPTY);
  const edit =
    (key: keyof Draft) =>
    (event: { target: { value: string } }): void => {
      setDraft((current) => ({ ...current, [key]: event.target.value }));
    };
  const form = useSubmit(async () => {
    const body = provider ? updateBody(draft) : createBody(draft);
    const saved = await createOrUpdate<IdentityProvider>(cp, props.base, provider?.id, body);
    // The secret (or key) leaves memory with the draft: it is never shown again.
    setDraft(provider ? draftOf(saved) : { ...EMPTY, type: draft.type });
    props.onSaved(saved);
  });

  const [idle, busy] = provider ? ['Save provider', 'Saving…'] : ['Add provider', 'Adding…'];
  const keep = provider ? ' Leave blank to keep the stored one.' : '';
  const keyHint = `Stored encrypted; it cannot be read back.${keep}`;
  const keyError = form.fieldError('apple.private_key');
  const fields = ['type', 'name', 'client_id', 'client_secret', 'issuer', 'apple', 'scopes'];
  return (
    <form onSubmit={form.onSubmit} noValidate aria-labelledby={headingId}>
      <h2 id={headingId}>
        {provider ? `Edit identity provider ${provider.name}` : 'Add an identity provider'}
      </h2>
      <FormSummary form={form} fields={fields} />
      {!provider && (
        <SelectField
          label="Type"
          name="type"
          value={draft.type}
          options={TYPES}
          onChange={(type) => {
            setDraft((current) => ({ ...current, type: type as Draft['type'] }));
          }}
          error={form.fieldError('type')}
        />
      )}
      <Field
        label="Display name"
        name="name"
        hint="Shown on the sign-in button: “Continue with …”."
        value={draft.name}
        onChange={edit('name')}
        error={form.fieldError('name')}
      />
      <Field
        label={draft.type === 'apple' ? 'Services ID (client id)' : 'Client id'}
        name="client_id"
        autoComplete="off"
        spellCheck={false}
        value={draft.clientId}
        onChange={edit('clientId')}
        error={form.fieldError('client_id')}
      />
      {draft.type !== 'apple' && (
        <Field
          label="Client secret"
          name="client_secret"
          type="password"
          autoComplete="off"
          hint={keyHint}
          value={draft.clientSecret}
          onChange={edit('clientSecret')}
          error={form.fieldError('client_secret')}
        />
      )}
      {draft.type === 'oidc' && (
        <Field
          label="Issuer URL"
          name="issuer"
          type="url"
          spellCheck={false}
          hint="Discovery is read from {issuer}/.well-known/openid-configuration."
          value={draft.issuer}
          onChange={edit('issuer')}
          error={form.fieldError('issuer')}
        />
      )}
      {draft.type === 'microsoft' && (
        <Field
          label="Directory"
          name="issuer"
          spellCheck={false}
          hint="A tenant id or domain, or common, organizations or consumers (default common)."
          value={draft.issuer}
          onChange={edit('issuer')}
          error={form.fieldError('issuer')}
        />
      )}
      {draft.type === 'apple' && (
        <>
          <Field
            label="Team id"
            name="team_id"
            value={draft.teamId}
            onChange={edit('teamId')}
            error={form.fieldError('apple.team_id')}
          />
          <Field
            label="Key id"
            name="key_id"
            value={draft.keyId}
            onChange={edit('keyId')}
            error={form.fieldError('apple.key_id')}
          />
          <div className={keyError !== undefined ? 'field field-invalid' : 'field'}>
            <label htmlFor={keyId}>Private key (.p8)</label>
            <span id={`${keyId}-hint`} className="hint">
              {provider ? `${keyHint} Team and key id change only with a new key.` : keyHint}
            </span>
            {keyError !== undefined && (
              <span id={`${keyId}-error`} className="field-error">
                <span className="visually-hidden">Error: </span>
                {keyError}
              </span>
            )}
            <textarea
              id={keyId}
              name="private_key"
              className="mono"
              rows={5}
              spellCheck={false}
              autoComplete="off"
              value={draft.privateKey}
              onChange={edit('privateKey')}
              aria-invalid={keyError !== undefined ? true : undefined}
              aria-describedby={
                keyError !== undefined ? `${keyId}-hint ${keyId}-error` : `${keyId}-hint`
              }
            />
          </div>
        </>
      )}
      <Field
        label="Scopes"
        name="scopes"
        spellCheck={false}
        hint="Space-separated; empty for the provider's defaults."
        value={draft.scopes}
        onChange={edit('scopes')}
        error={form.fieldError('scopes')}
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
