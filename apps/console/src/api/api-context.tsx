import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { Call } from './http';
import type { Session, SessionState } from './session';

/** What every page reaches: the session and one call function per plane. */
export interface Api {
  session: Session;
  /** The control plane (this origin). */
  cp: Call;
  /** The data plane's admin routes (`HJ_PUBLIC_URL`, from /console/config.json). */
  dp: Call;
  dataPlaneUrl: string;
}

const ApiContext = createContext<Api | undefined>(undefined);

export function ApiProvider(props: { api: Api; children: ReactNode }): ReactNode {
  return <ApiContext.Provider value={props.api}>{props.children}</ApiContext.Provider>;
}

export function useApi(): Api {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside ApiProvider');
  return api;
}

export function useSessionState(): SessionState {
  const { session } = useApi();
  return useSyncExternalStore(
    (onChange) => session.subscribe(onChange),
    () => session.state(),
  );
}
