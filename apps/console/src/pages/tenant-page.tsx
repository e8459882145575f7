import { useEffect, useState, type ReactNode } from 'react';
import { useApi } from '../api/api-context';
import { seg } from '../api/http';
import type { Tenant } from '../api/types';
import { Link, navigate } from '../router';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { Loading, ProblemPanel } from '../ui/problem-panel';
import { StatusBadge } from '../ui/status-badge';
import { useResource } from '../ui/use-resource';
import { ClientsTab } from './clients-tab';
import { IdentityProvidersTab } from './identity-providers-tab';
import { KeysTab } from './keys-tab';
import { OrganizationsTab } from './organizations-tab';
import { ResourcesTab } from './resources-tab';
import { RolesTab } from './roles-tab';
import { SettingsTab } from './settings-tab';
import { UsersTab } from './users-tab';
import { WebhooksTab } from './webhooks-tab';

const TABS = [
  ['', 'Overview'],
  ['settings', 'Settings'],
  ['clients', 'Clients'],
  ['users', 'Users'],
  ['roles', 'Roles'],
  ['organizations', 'Organizations'],
  ['webhooks', 'Webhooks'],
  ['resources', 'API resources'],
  ['keys', 'Keys'],
  ['identity-providers', 'Identity providers'],
] as const;

/** How often a provisioning (or deleting) tenant is read again. */
const POLL_MS = 1000;

/** A tenant: header with status, tab links (`/t/{slug}/{tab}`), the tab's content. */
export function TenantPage(props: { slug: string; tab: string }): ReactNode {
  const { cp } = useApi();
  const tenant = useResource(() => cp<Tenant>('GET', `/v1/tenants/${seg(props.slug)}`), props.slug);
  const status = tenant.data?.status;
  const { reload } = tenant;
  // Live provisioning status: poll while the data plane works on it.
  useEffect(() => {
    if (status !== 'provisioning' && status !== 'deleting') return undefined;
    const timer = setTimeout(reload, POLL_MS);
    return () => {
      clearTimeout(timer);
    };
  }, [status, reload, tenant.data]);

  if (tenant.error && !tenant.data) {
    return <ProblemPanel error={tenant.error} onRetry={tenant.reload} />;
  }
  if (!tenant.data) return <Loading label="tenant" />;
  const t = tenant.data;
  return (
    <>
      <p className="tenant-status" aria-live="polite">
        <StatusBadge status={t.status} />
        {t.status_reason !== null && <span className="muted"> {t.status_reason}</span>}
      </p>
      <nav aria-label="Tenant sections" className="tabs">
        <ul>
          {TABS.map(([tab, label]) => (
            <li key={tab}>
              <Link to={`/t/${t.slug}${tab ? `/${tab}` : ''}`} current={props.tab === tab}>
                {label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <section aria-label={TABS.find(([tab]) => tab === props.tab)?.[1] ?? 'Overview'}>
        <TabContent tenant={t} tab={props.tab} onChanged={tenant.reload} />
      </section>
    </>
  );
}

function TabContent(props: { tenant: Tenant; tab: string; onChanged: () => void }): ReactNode {
  const { tenant } = props;
  switch (props.tab) {
    case 'settings':
      return <SettingsTab tenant={tenant} onSaved={props.onChanged} />;
    case 'clients':
      return <ClientsTab tenant={tenant} />;
    case 'users':
      return <UsersTab tenant={tenant} />;
    case 'roles':
      return <RolesTab tenant={tenant} />;
    case 'organizations':
      return <OrganizationsTab tenant={tenant} />;
    case 'webhooks':
      return <WebhooksTab tenant={tenant} />;
    case 'resources':
      return <ResourcesTab tenant={tenant} />;
    case 'keys':
      return <KeysTab tenant={tenant} />;
    case 'identity-providers':
      return <IdentityProvidersTab tenant={tenant} />;
    default:
      return <Overview tenant={tenant} />;
  }
}

function Overview(props: { tenant: Tenant }): ReactNode {
  const { cp } = useApi();
  const { tenant } = props;
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>();
  return (
    <>
      <dl className="facts">
        <dt>Id</dt>
        <dd className="mono">{tenant.id}</dd>
        <dt>Issuer</dt>
        <dd className="mono">{tenant.issuer}</dd>
        <dt>Database</dt>
        <dd>
          {tenant.database.mode}
          {tenant.database.dsn !== null && <span className="mono"> {tenant.database.dsn}</span>}
        </dd>
        <dt>Created</dt>
        <dd>{new Date(tenant.created_at).toLocaleString()}</dd>
      </dl>
      <section className="danger-zone" aria-labelledby="danger-zone">
        <h2 id="danger-zone">Danger zone</h2>
        {error !== undefined && <p role="alert">The tenant could not be deleted.</p>}
        <button
          type="button"
          className="danger"
          onClick={() => {
            setConfirming(true);
          }}
        >
          Delete tenant
        </button>
      </section>
      {confirming && (
        <ConfirmDialog
          title={`Delete tenant ${tenant.name}?`}
          confirmLabel="Delete tenant"
          typeToConfirm={tenant.slug}
          onCancel={() => {
            setConfirming(false);
          }}
          onConfirm={async () => {
            try {
              await cp('DELETE', `/v1/tenants/${seg(tenant.slug)}`);
              navigate('/');
            } catch (failure) {
              setError(failure);
              setConfirming(false);
            }
          }}
        >
          <p>
            Its database, users, sessions, clients and keys are deleted. Every token it issued stops
            verifying. This cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
