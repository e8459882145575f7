import { useState, type ReactNode } from 'react';
import { useApi } from '../api/api-context';
import { seg } from '../api/http';
import type { ClientSecret, CreatedOAuthClient, OAuthClient, Page, Tenant } from '../api/types';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { Field, SelectField } from '../ui/field';
import { FormSummary } from '../ui/form-summary';
import { useSubmit } from '../ui/use-submit';
import { EmptyState, Loading, ProblemPanel } from '../ui/problem-panel';
import { SecretOnce } from '../ui/secret-once';
import { useResource } from '../ui/use-resource';
import { RedirectUrisEditor } from './redirect-uris-editor';

const GRANTS: Record<string, ('authorization_code' | 'refresh_token' | 'client_credentials')[]> = {
  'web app (authorization code)': ['authorization_code', 'refresh_token'],
  'machine (client credentials)': ['client_credentials'],
};

/** OAuth clients: list, create (secret shown once), rotate the secret, delete. */
export function ClientsTab(props: { tenant: Tenant }): ReactNode {
  const { cp } = useApi();
  const base = `/v1/tenants/${seg(props.tenant.slug)}/clients`;
  const clients = useResource(() => cp<Page<OAuthClient>>('GET', base), base);
  const [secret, setSecret] = useState<{ label: string; value: string }>();
  const [deleting, setDeleting] = useState<OAuthClient>();
  const [actionError, setActionError] = useState<string>();

  async function rotate(client: OAuthClient): Promise<void> {
    try {
      const answer = await cp<ClientSecret>('POST', `${base}/${seg(client.client_id)}/secret`);
      setSecret({ label: `New secret of ${client.name}`, value: answer.client_secret });
    } catch (failure) {
      setActionError(failure instanceof Error ? failure.message : 'Rotation failed');
    }
  }

  return (
    <>
      {secret && (
        <SecretOnce
          label={secret.label}
          secret={secret.value}
          onDone={() => {
            setSecret(undefined);
          }}
        />
      )}
      {actionError !== undefined && <p role="alert">{actionError}</p>}
      {clients.error && <ProblemPanel error={clients.error} onRetry={clients.reload} />}
      {clients.loading && !clients.data && <Loading label="clients" />}
      {clients.data?.data.length === 0 && (
        <EmptyState title="No OAuth clients yet">
          <p>A client is an application that signs users in or calls APIs with this tenant.</p>
        </EmptyState>
      )}
      {clients.data && clients.data.data.length > 0 && (
        <table>
          <caption>OAuth clients</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Client id</th>
              <th scope="col">Type</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {clients.data.data.map((client) => (
              <tr key={client.client_id}>
                <td>{client.name}</td>
                <td className="mono">{client.client_id}</td>
                <td>{client.type}</td>
                <td className="row-actions">
                  {client.type === 'confidential' && (
                    <button type="button" onClick={() => void rotate(client)}>
                      Rotate secret<span className="visually-hidden"> of {client.name}</span>
                    </button>
                  )}
                  <button
                    type="button"
                    className="danger"
                    onClick={() => {
                      setDeleting(client);
                    }}
                  >
                    Delete<span className="visually-hidden"> {client.name}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <CreateClientForm
        base={base}
        onCreated={(created) => {
          if (created.client_secret) {
            setSecret({ label: `Client secret of ${created.name}`, value: created.client_secret });
          }
          clients.reload();
        }}
      />
      {deleting && (
        <ConfirmDialog
          title={`Delete client ${deleting.name}?`}
          confirmLabel="Delete client"
          typeToConfirm={deleting.name}
          onCancel={() => {
            setDeleting(undefined);
          }}
          onConfirm={async () => {
            await cp('DELETE', `${base}/${seg(deleting.client_id)}`).catch((failure: unknown) => {
              setActionError(failure instanceof Error ? failure.message : 'Delete failed');
            });
            setDeleting(undefined);
            clients.reload();
          }}
        >
          <p>Applications using it can no longer sign users in or get tokens.</p>
        </ConfirmDialog>
      )}
    </>
  );
}

function CreateClientForm(props: {
  base: string;
  onCreated: (client: CreatedOAuthClient) => void;
}): ReactNode {
  const { cp } = useApi();
  const [name, setName] = useState('');
  const [type, setType] = useState('confidential');
  const [kind, setKind] = useState(Object.keys(GRANTS)[0] ?? '');
  const [uris, setUris] = useState<string[]>(['']);
  const [done, setDone] = useState('');

  const form = useSubmit(async () => {
    const grants = GRANTS[kind] ?? [];
    const created = await cp<CreatedOAuthClient>('POST', props.base, {
      body: {
        name,
        type,
        grant_types: grants,
        redirect_uris: grants.includes('authorization_code') ? uris.filter(Boolean) : [],
      },
    });
    setDone(`Client ${created.name} created.`);
    setName('');
    setUris(['']);
    props.onCreated(created);
  });

  const errorAt = (index: number): string | undefined =>
    form.fieldError(`redirect_uris.${String(index)}`) ??
    form.fieldError(`redirect_uris[${String(index)}]`);
  return (
    <form onSubmit={form.onSubmit} noValidate aria-labelledby="create-client">
      <h2 id="create-client">Create a client</h2>
      <FormSummary form={form} fields={['name', 'type', 'grant_types', 'redirect_uris']} />
      <Field
        label="Client name"
        name="name"
        value={name}
        onValue={setName}
        error={form.fieldError('name')}
      />
      <SelectField
        label="Client type"
        name="type"
        value={type}
        options={['confidential', 'public']}
        onChange={setType}
        error={form.fieldError('type')}
      />
      <SelectField
        label="Kind"
        name="kind"
        value={kind}
        options={Object.keys(GRANTS)}
        onChange={setKind}
        error={form.fieldError('grant_types')}
      />
      {GRANTS[kind]?.includes('authorization_code') && (
        <RedirectUrisEditor value={uris} onChange={setUris} errorAt={errorAt} />
      )}
      <button type="submit" className="primary" disabled={form.pending}>
        {form.pending ? 'Creating…' : 'Create client'}
      </button>
      <p role="status">{done}</p>
    </form>
  );
}
