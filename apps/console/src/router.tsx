import { useSyncExternalStore, type MouseEvent, type ReactNode } from 'react';

/** Where the control plane serves the console (vite.config.mts `base`). */
const BASE = '/console';

const NAVIGATED = 'hj:navigated';

function subscribe(listener: () => void): () => void {
  window.addEventListener('popstate', listener);
  window.addEventListener(NAVIGATED, listener);
  return () => {
    window.removeEventListener('popstate', listener);
    window.removeEventListener(NAVIGATED, listener);
  };
}

const snapshot = (): string => window.location.pathname + window.location.search;

/**
 * The console's route: path below `/console` and the query string. A router of a dozen lines
 * instead of a dependency: the console has few routes and needs only history and links.
 */
export function useLocation(): { path: string; query: URLSearchParams } {
  const current = useSyncExternalStore(subscribe, snapshot);
  const url = new URL(current, 'http://console.invalid');
  const path = url.pathname.startsWith(BASE) ? url.pathname.slice(BASE.length) || '/' : '/';
  return { path, query: url.searchParams };
}

/** Goes to `to` (a path below `/console`, with its query), pushing or replacing history. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const url = BASE + to;
  if (options.replace === true) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  window.dispatchEvent(new Event(NAVIGATED));
}

/** A real link (open in a new tab works) that navigates in place on a plain click. */
export function Link(props: {
  to: string;
  children: ReactNode;
  className?: string;
  current?: boolean;
}): ReactNode {
  function onClick(event: MouseEvent<HTMLAnchorElement>): void {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    event.preventDefault();
    navigate(props.to);
  }
  return (
    <a
      href={BASE + props.to}
      onClick={onClick}
      className={props.className}
      aria-current={props.current === true ? 'page' : undefined}
    >
      {props.children}
    </a>
  );
}
