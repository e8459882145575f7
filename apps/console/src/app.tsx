import { useState, type ReactNode } from 'react';
import { useSessionState } from './api/api-context';
import { useLocation } from './router';
import { AcceptInvitationPage } from './pages/accept-invitation-page';
import { AccountPage } from './pages/account-page';
import { AdminsPage, ApiKeysPage } from './pages/admins-page';
import { AuditPage } from './pages/audit-page';
import { CreateTenantPage } from './pages/create-tenant-page';
import { Layout } from './pages/layout';
import { ReadinessPage } from './pages/readiness-page';
import { SignInPage } from './pages/sign-in-page';
import { TenantPage } from './pages/tenant-page';
import { TenantsPage } from './pages/tenants-page';

/** The page for a path below /console, with its title. */
function pageOf(path: string): { title: string; page: ReactNode } {
  const tenant = /^\/t\/([^/]+)(?:\/([a-z-]+))?\/?$/.exec(path);
  if (tenant?.[1] !== undefined) {
    const slug = decodeURIComponent(tenant[1]);
    return { title: `Tenant ${slug}`, page: <TenantPage slug={slug} tab={tenant[2] ?? ''} /> };
  }
  switch (path) {
    case '/':
      return { title: 'Tenants', page: <TenantsPage /> };
    case '/tenants/new':
      return { title: 'Create tenant', page: <CreateTenantPage /> };
    case '/admins':
      return { title: 'Admins', page: <AdminsPage /> };
    case '/account':
      return { title: 'My account', page: <AccountPage /> };
    case '/api-keys':
      return { title: 'API keys', page: <ApiKeysPage /> };
    case '/audit':
      return { title: 'Audit log', page: <AuditPage /> };
    case '/readiness':
      return { title: 'Readiness', page: <ReadinessPage /> };
    default:
      return { title: 'Page not found', page: <p>There is no such page in the console.</p> };
  }
}

/**
 * An invitation link (`#/accept-invitation?token=`, the token taken out of the address bar at
 * start by main.tsx): the accept page, signed in or not. Signed out: the sign-in page, whatever the
 * path, so that signing in (again, after expiry) lands on the page the operator was on.
 */
export function App(props: { invitation?: string }): ReactNode {
  const session = useSessionState();
  const { path } = useLocation();
  const [invitation, setInvitation] = useState(props.invitation);
  if (invitation !== undefined) {
    return (
      <AcceptInvitationPage
        token={invitation}
        onDone={() => {
          setInvitation(undefined);
        }}
      />
    );
  }
  if (!session.signedIn) return <SignInPage expired={session.expired} />;
  const { title, page } = pageOf(path);
  return (
    <Layout title={title} key={path}>
      {page}
    </Layout>
  );
}
