import { useEffect, useRef, type ReactNode } from 'react';
import { useApi } from '../api/api-context';
import { Link, useLocation } from '../router';

const GLOBAL_NAV = [
  { to: '/', label: 'Tenants' },
  { to: '/admins', label: 'Admins' },
  { to: '/api-keys', label: 'API keys' },
  { to: '/audit', label: 'Audit log' },
  { to: '/readiness', label: 'Readiness' },
  { to: '/account', label: 'My account' },
];

/**
 * The signed-in frame: skip link, banner with the global navigation and sign-out, and `main`
 * whose `h1` takes focus on every navigation (so screen readers hear the new page) and names the
 * document title.
 */
export function Layout(props: { title: string; children: ReactNode }): ReactNode {
  const { session } = useApi();
  const { path } = useLocation();
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    document.title = `${props.title} – HelloJohn console`;
    headingRef.current?.focus();
  }, [path, props.title]);

  const section = path === '/' || path.startsWith('/t/') || path.startsWith('/tenants');
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">HelloJohn</span>
        <nav aria-label="Main">
          <ul>
            {GLOBAL_NAV.map((item) => (
              <li key={item.to}>
                <Link to={item.to} current={item.to === '/' ? section : path.startsWith(item.to)}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <button type="button" onClick={() => void session.signOut()}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <h1 ref={headingRef} tabIndex={-1}>
          {props.title}
        </h1>
        {props.children}
      </main>
    </>
  );
}
