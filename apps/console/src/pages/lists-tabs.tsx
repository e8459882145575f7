import { useState, type ReactNode } from 'react';
import { useApi } from '../api/api-context';
import { seg } from '../api/http';
import type { ApiResource, Page, Role, Tenant, Webhook, WebhookDelivery } from '../api/types';
import { EmptyState, Loading, ProblemPanel } from '../ui/problem-panel';
import { StatusBadge } from '../ui/status-badge';
import { useResource } from '../ui/use-resource';

/** The tenant's roles and their permissions (data plane admin routes). */
export function RolesTab(props: { tenant: Tenant }): ReactNode {
  const { dp } = useApi();
  const path = `/t/${seg(props.tenant.slug)}/v1/admin/roles`;
  const roles = useResource(() => dp<Page<Role>>('GET', path), path);
  return (
    <>
      {roles.error && <ProblemPanel error={roles.error} onRetry={roles.reload} />}
      {roles.loading && !roles.data && <Loading label="roles" />}
      {roles.data?.data.length === 0 && (
        <EmptyState title="No roles yet">
          <p>Roles bundle permissions; create them with hjctl or the data plane’s admin API.</p>
        </EmptyState>
      )}
      {roles.data && roles.data.data.length > 0 && (
        <table>
          <caption>Roles</caption>
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Name</th>
              <th scope="col">Permissions</th>
            </tr>
          </thead>
          <tbody>
            {roles.data.data.map((role) => (
              <tr key={role.key}>
                <td className="mono">{role.key}</td>
                <td>{role.name}</td>
                <td>{role.permissions.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** Webhooks and, for the chosen one, its deliveries. */
export function WebhooksTab(props: { tenant: Tenant }): ReactNode {
  const { cp } = useApi();
  const base = `/v1/tenants/${seg(props.tenant.slug)}/webhooks`;
  const webhooks = useResource(() => cp<Page<Webhook>>('GET', base), base);
  const [chosen, setChosen] = useState<Webhook>();
  return (
    <>
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
              <th scope="col">Enabled</th>
              <th scope="col">Deliveries</th>
            </tr>
          </thead>
          <tbody>
            {webhooks.data.data.map((hook) => (
              <tr key={hook.id}>
                <td className="mono">{hook.url}</td>
                <td>{hook.event_types.join(', ')}</td>
                <td>{hook.enabled ? 'yes' : 'no'}</td>
                <td>
                  <button
                    type="button"
                    onClick={() => {
                      setChosen(hook);
                    }}
                  >
                    Show deliveries<span className="visually-hidden"> of {hook.url}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {chosen && <Deliveries path={`${base}/${seg(chosen.id)}/deliveries`} url={chosen.url} />}
    </>
  );
}

function Deliveries(props: { path: string; url: string }): ReactNode {
  const { cp } = useApi();
  const deliveries = useResource(() => cp<Page<WebhookDelivery>>('GET', props.path), props.path);
  if (deliveries.error)
    return <ProblemPanel error={deliveries.error} onRetry={deliveries.reload} />;
  if (!deliveries.data) return <Loading label="deliveries" />;
  if (deliveries.data.data.length === 0) return <EmptyState title="No deliveries yet" />;
  return (
    <table>
      <caption>Deliveries to {props.url}</caption>
      <thead>
        <tr>
          <th scope="col">Event</th>
          <th scope="col">Status</th>
          <th scope="col">Attempts</th>
          <th scope="col">Response</th>
        </tr>
      </thead>
      <tbody>
        {deliveries.data.data.map((delivery) => (
          <tr key={delivery.id}>
            <td>{delivery.event_type}</td>
            <td>
              <StatusBadge status={delivery.status} />
            </td>
            <td>{delivery.attempts}</td>
            <td>{delivery.response_status ?? delivery.error ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** API resources (audiences) defined for the tenant. */
export function ResourcesTab(props: { tenant: Tenant }): ReactNode {
  const { cp } = useApi();
  const path = `/v1/tenants/${seg(props.tenant.slug)}/resources`;
  const resources = useResource(() => cp<Page<ApiResource>>('GET', path), path);
  return (
    <>
      {resources.error && <ProblemPanel error={resources.error} onRetry={resources.reload} />}
      {resources.loading && !resources.data && <Loading label="API resources" />}
      {resources.data?.data.length === 0 && (
        <EmptyState title="No API resources yet">
          <p>An API resource is an audience your backends verify tokens for (docs/apis.md).</p>
        </EmptyState>
      )}
      {resources.data && resources.data.data.length > 0 && (
        <table>
          <caption>API resources</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Identifier</th>
              <th scope="col">Scopes</th>
            </tr>
          </thead>
          <tbody>
            {resources.data.data.map((resource) => (
              <tr key={resource.id}>
                <td>{resource.name}</td>
                <td className="mono">{resource.identifier}</td>
                <td>{resource.scopes.map((scope) => scope.name).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
