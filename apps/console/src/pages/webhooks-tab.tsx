import { useState, type ReactNode } from 'react';
import { useApi } from '../api/api-context';
import { seg } from '../api/http';
import { asApiError, type ApiError } from '../api/api-error';
import type { Page, Tenant, Webhook } from '../api/types';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { EmptyState, Loading, ProblemPanel } from '../ui/problem-panel';
import { SecretOnce } from '../ui/secret-once';
import { StatusBadge } from '../ui/status-badge';
import { RowActions } from '../ui/row-actions';
import { useRemoval } from '../ui/use-removal';
import { useResource } from '../ui/use-resource';
import { when } from '../ui/when';
import { WebhookDeliveries } from './webhook-deliveries';
import { WebhookForm } from './webhook-form';
import { WebhookRotateDialog } from './webhook-rotate-dialog';

/**
 * A tenant's webhooks: list, create (signing secret shown once), edit, rotate the secret (the new
 * one shown once, with the old one's overlap), delete; and, for the chosen one, its deliveries.
 */
export function WebhooksTab(props: { tenant: Tenant }): ReactNode {
  const { cp } = useApi();
  const base = `/v1/tenants/${seg(props.tenant.slug)}/webhooks`;
  const webhooks = useResource(() => cp<Page<Webhook>>('GET', base), base);
  const [chosen, setChosen] = useState<Webhook>();
  const [editing, setEditing] = useState<Webhook>();
  const [secret, setSecret] = useState<{
    url: string;
    secret: string;
    previousUntil?: string | null;
  }>();
  const [rotating, setRotating] = useState<Webhook>();
  const [rotateError, setRotateError] = useState<ApiError>();
  const [notice, setNotice] = useState('');

  const removal = useRemoval(
    async (hook: Webhook) => {
      await cp('DELETE', `${base}/${seg(hook.id)}`);
      if (chosen?.id === hook.id) setChosen(undefined);
      return `Webhook ${hook.url} deleted.`;
    },
    setNotice,
    webhooks.reload,
  );
  const deleting = removal.target;

  return (
    <>
      {secret && (
        <SecretOnce
          label={`Signing secret of ${secret.url}`}
          secret={secret.secret}
          onDone={() => {
            setSecret(undefined);
          }}
        >
          {secret.previousUntil !== undefined && (
            <p>
              {secret.previousUntil === null
                ? 'The previous secret no longer signs.'
                : `The previous secret keeps signing beside it until ${when(secret.previousUntil)}.`}
            </p>
          )}
        </SecretOnce>
      )}
      <p role="status">{notice}</p>
      {removal.error && <ProblemPanel error={removal.error} />}
      {rotateError && <ProblemPanel error={rotateError} />}
      {webhooks.error && <ProblemPanel error={webhooks.error} onRetry={webhooks.reload} />}
      {webhooks.loading && !webhooks.data && <Loading label="webhooks" />}
      {webhooks.data?.data.length === 0 && (
        <EmptyState title="No webhooks yet">
          <p>Webhooks tell your systems about user events (docs/webhooks.md).</p>
        </EmptyState>
      )}
      {webhooks.data && webhooks.data.data.length > 0 && (
        <table>
          <caption>Webhooks</caption>
          <thead>
            <tr>
              <th scope="col">URL</th>
              <th scope="col">Events</th>
              <th scope="col">Status</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {webhooks.data.data.map((hook) => (
              <tr key={hook.id}>
                <td className="mono">{hook.url}</td>
                <td>{hook.event_types.join(', ')}</td>
                <td>
                  <StatusBadge
                    status={!hook.enabled ? 'disabled' : hook.failing_since ? 'failing' : 'active'}
                  />
                </td>
                <td>
                  <RowActions
                    name={hook.url}
                    onEdit={() => {
                      setEditing(hook);
                    }}
                    onDelete={() => {
                      removal.ask(hook);
                    }}
                  >
                    <button
                      type="button"
                      onClick={() => {
                        setChosen(hook);
                      }}
                    >
                      Show deliveries<span className="visually-hidden"> of {hook.url}</span>
                    </button>{' '}
                    <button
                      type="button"
                      onClick={() => {
                        setRotateError(undefined);
                        setRotating(hook);
                      }}
                    >
                      Rotate secret<span className="visually-hidden"> of {hook.url}</span>
                    </button>{' '}
                  </RowActions>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {chosen && (
        <WebhookDeliveries
          key={chosen.id}
          path={`${base}/${seg(chosen.id)}/deliveries`}
          url={chosen.url}
        />
      )}
      {rotating && (
        <WebhookRotateDialog
          base={base}
          webhook={rotating}
          onCancel={() => {
            setRotating(undefined);
          }}
          onFailed={(failure) => {
            setRotating(undefined);
            setRotateError(asApiError(failure));
          }}
          onRotated={(rotated) => {
            setRotating(undefined);
            setSecret({
              url: rotated.url,
              secret: rotated.secret,
              previousUntil: rotated.previous_secret_expires_at,
            });
            webhooks.reload();
          }}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete webhook ${deleting.url}?`}
          confirmLabel="Delete webhook"
          onCancel={removal.cancel}
          onConfirm={removal.confirm}
        >
          <p>No more events are delivered to it; deliveries still queued are dropped.</p>
        </ConfirmDialog>
      )}
      {editing ? (
        <WebhookForm
          key={editing.id}
          base={base}
          webhook={editing}
          onSaved={(saved) => {
            setEditing(undefined);
            setNotice(`Webhook ${saved.url} saved.`);
            webhooks.reload();
          }}
          onCancel={() => {
            setEditing(undefined);
          }}
        />
      ) : (
        <WebhookForm
          base={base}
          onSaved={(saved) => {
            if ('secret' in saved) setSecret({ url: saved.url, secret: saved.secret });
            webhooks.reload();
          }}
        />
      )}
    </>
  );
}
