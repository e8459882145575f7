import { useState, type ReactNode } from 'react';
import { useApi } from '../api/api-context';
import { asApiError, type ApiError } from '../api/api-error';
import { seg } from '../api/http';
import type { IdentityProvider, Page, Tenant } from '../api/types';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { CopyableText } from '../ui/copyable-text';
import { EmptyState, Loading, ProblemPanel } from '../ui/problem-panel';
import { StatusBadge } from '../ui/status-badge';
import { RowActions } from '../ui/row-actions';
import { useRemoval } from '../ui/use-removal';
import { useResource } from '../ui/use-resource';
import { ProviderForm } from './identity-provider-form';

/**
 * A tenant's upstream identity providers: list, create and edit (type-specific fields; the secret
 * or Apple key is write-only), enable or disable, delete; and the callback URL to register at the provider.
 */
export function IdentityProvidersTab(props: { tenant: Tenant }): ReactNode {
  const { cp } = useApi();
  const base = `/v1/tenants/${seg(props.tenant.slug)}/identity-providers`;
  const providers = useResource(() => cp<Page<IdentityProvider>>('GET', base), base);
  const [created, setCreated] = useState<IdentityProvider>();
  const [editing, setEditing] = useState<IdentityProvider>();
  const [notice, setNotice] = useState('');
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

  const removal = useRemoval(
    async (provider: IdentityProvider) => {
      await cp('DELETE', `${base}/${seg(provider.id)}`);
      return `${provider.name} deleted.`;
    },
    setNotice,
    providers.reload,
  );
  const deleting = removal.target;

  return (
    <>
      {created && (
        <section className="panel" aria-labelledby="idp-created" role="status">
          <h3 id="idp-created">{created.name} added</h3>
          <p>Register this redirect (callback) URL at the provider:</p>
          <CopyableText label={`Callback URL of ${created.name}`} value={created.callback_url} />
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
      <p role="status">{notice}</p>
      {actionError && <ProblemPanel error={actionError} />}
      {removal.error && <ProblemPanel error={removal.error} />}
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
                  <RowActions
                    name={provider.name}
                    onEdit={() => {
                      setEditing(provider);
                    }}
                    onDelete={() => {
                      removal.ask(provider);
                    }}
                  />
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
          onCancel={removal.cancel}
          onConfirm={removal.confirm}
        >
          <p>
            Users can no longer sign in with {deleting.name}. Their accounts stay; those without
            another way to sign in will need a password reset.
          </p>
        </ConfirmDialog>
      )}
      {editing ? (
        <ProviderForm
          key={editing.id}
          base={base}
          provider={editing}
          onSaved={(saved) => {
            setEditing(undefined);
            setNotice(`${saved.name} saved.`);
            providers.reload();
          }}
          onCancel={() => {
            setEditing(undefined);
          }}
        />
      ) : (
        <ProviderForm
          base={base}
          onSaved={(provider) => {
            setCreated(provider);
            providers.reload();
          }}
        />
      )}
    </>
  );
}
