import { useId, useState, type SyntheticEvent, type ReactNode } from 'react';
import { useApi } from '../api/api-context';
import { asApiError, type ApiError } from '../api/api-error';
import { seg } from '../api/http';
import type { IdentityProvider, IdentityProviderType, Page, Tenant } from '../api/types';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { Field, SelectField } from '../ui/field';
import { useFormState } from '../ui/form-state';
import { FormSummary } from '../ui/form-summary';
import { EmptyState, Loading, ProblemPanel } from '../ui/problem-panel';
import { StatusBadge } from '../ui/status-badge';
import { useResource } from '../ui/use-resource';

const TYPES: readonly IdentityProviderType[] = ['oidc', 'google', 'github', 'microsoft', 'apple'];

/** The create form's fields; only those of the chosen type are sent. */
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

/** The create body for `draft.type` (docs/federation.md): Apple signs with a key, not a secret. */
function bodyOf(draft: Draft): Record<string, unknown> {
  const scopes = draft.scopes.split(/\s+/).filter(Boolean);
  return {
    type: draft.type,
    name: draft.name,
    client_id: draft.clientId,
    ...(draft.type === 'apple'
      ? { apple: { team_id: draft.teamId, key_id: draft.keyId, private_key: draft.privateKey } }
      : { client_secret: draft.clientSecret }),
    ...((draft.type === 'oidc' || (draft.type === 'microsoft' && draft.issuer !== '')) && {
      issuer: draft.issuer,
    }),
    ...(scopes.length > 0 && { scopes }),
  };
}

/**
 * A tenant's upstream identity providers: list, create (type-specific fields; the secret or Apple
 * key is write-only), enable or disable, delete; and the callback URL to register at the provider.
 */
export function IdentityProvidersTab(props: { tenant: Tenant }): ReactNode {
  const { cp } = useApi();
  const base = `/v1/tenants/${seg(props.tenant.slug)}/identity-providers`;
  const providers = useResource(() => cp<Page<IdentityProvider>>('GET', base), base);
  const [created, setCreated] = useState<IdentityProvider>();
  const [deleting, setDeleting] = useState<IdentityProvider>();
  const [actionError, setActionError] = useState<ApiError>();

  function setEnabled(provider: IdentityProvider, enabled: boolean): void {
    setActionError(undefined);
    cp('PATCH', `${base}/${seg(provider.id)}`, { body: { enabled } }).then(
      providers.reload,
      (failure: unknown) => {
        setActionError(asApiError(failure));
      },
    );
  }

  async function remove(provider: IdentityProvider): Promise<void> {
    setActionError(undefined);
    try {
      await cp('DELETE', `${base}/${seg(provider.id)}`);
    } catch (failure) {
      setActionError(asApiError(failure));
    }
    setDeleting(undefined);
    providers.reload();
  }

  return (
    <>
      {created && (
        <section className="panel" aria-labelledby="idp-created" role="status">
          <h3 id="idp-created">{created.name} added</h3>
          <p>Register this redirect (callback) URL at the provider:</p>
          <CallbackUrl url={created.callback_url} label={created.name} />
          <button
            type="button"
            onClick={() => {
              setCreated(undefined);
            }}
          >
            Done
          </button>
        </section>
      )}
      {actionError && <ProblemPanel error={actionError} />}
      {providers.error && <ProblemPanel error={providers.error} onRetry={providers.reload} />}
      {providers.loading && !providers.data && <Loading label="identity providers" />}
      {providers.data?.data.length === 0 && (
        <EmptyState title="No identity providers yet">
          <p>
            An identity provider lets users sign in to this tenant with an account they already have
            (Google, GitHub, Microsoft, Apple or any OpenID Connect provider).
          </p>
        </EmptyState>
      )}
      {providers.data && providers.data.data.length > 0 && (
        <table>
          <caption>Identity providers</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col">Client id</th>
              <th scope="col">Secret</th>
              <th scope="col">Status</th>
              <th scope="col">Callback URL</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {providers.data.data.map((provider) => (
              <tr key={provider.id}>
                <td>{provider.name}</td>
                <td>{provider.type}</td>
                <td className="mono">{provider.client_id}</td>
                <td>{provider.client_secret_set ? 'stored' : 'not set'}</td>
                <td>
                  <StatusBadge status={provider.enabled ? 'active' : 'disabled'} />
                </td>
                <td className="mono">{provider.callback_url}</td>
                <td>
                  <button
                    type="button"
                    onClick={() => {
                      setEnabled(provider, !provider.enabled);
                    }}
                  >
                    {provider.enabled ? 'Disable' : 'Enable'}
                    <span className="visually-hidden"> {provider.name}</span>
                  </button>{' '}
                  <button
                    type="button"
                    className="danger"
                    onClick={() => {
                      setDeleting(provider);
                    }}
                  >
                    Delete<span className="visually-hidden"> {provider.name}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete identity provider ${deleting.name}?`}
          confirmLabel="Delete provider"
          onCancel={() => {
            setDeleting(undefined);
          }}
          onConfirm={() => remove(deleting)}
        >
          <p>
            Users can no longer sign in with {deleting.name}. Their accounts stay; those without
            another way to sign in will need a password reset.
          </p>
        </ConfirmDialog>
      )}
      <CreateProvider
        base={base}
        onCreated={(provider) => {
          setCreated(provider);
          providers.reload();
        }}
      />
    </>
  );
}

/** The callback URL, read-only and copyable. */
function CallbackUrl(props: { url: string; label: string }): ReactNode {
  const id = useId();
  const [copied, setCopied] = useState(false);
  return (
    <div className="field">
      <label htmlFor={id}>Callback URL of {props.label}</label>
      <input id={id} className="mono" readOnly value={props.url} />
      <div className="actions">
        <button
          type="button"
          onClick={() =>
            void navigator.clipboard.writeText(props.url).then(() => {
              setCopied(true);
            })
          }
        >
          Copy
        </button>
        <span role="status" className="muted">
          {copied ? 'Copied' : ''}
        </span>
      </div>
    </div>
  );
}

function CreateProvider(props: {
  base: string;
  onCreated: (provider: IdentityProvider) => void;
}): ReactNode {
  const { cp } = useApi();
  const form = useFormState();
  const keyId = useId();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const edit =
    (key: keyof Draft) =>
    (event: { target: { value: string } }): void => {
      setDraft((current) => ({ ...current, [key]: event.target.value }));
    };

  function onSubmit(event: SyntheticEvent): void {
    event.preventDefault();
    void form.submit(async () => {
      const provider = await cp<IdentityProvider>('POST', props.base, { body: bodyOf(draft) });
      // The secret (or key) leaves memory with the draft: it is never shown again.
      setDraft({ ...EMPTY, type: draft.type });
      props.onCreated(provider);
    });
  }

  const keyError = form.fieldError('apple.private_key');
  const fields = ['type', 'name', 'client_id', 'client_secret', 'issuer', 'apple', 'scopes'];
  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="create-idp">
      <h2 id="create-idp">Add an identity provider</h2>
      <FormSummary form={form} fields={fields} />
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
          hint="Stored encrypted; it cannot be read back."
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
              Stored encrypted; it cannot be read back.
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
      <button type="submit" className="primary" disabled={form.pending}>
        {form.pending ? 'Adding…' : 'Add provider'}
      </button>
    </form>
  );
}
