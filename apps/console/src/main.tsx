import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProvider, type Api } from './api/api-context';
import { createCall } from './api/http';
import { createSession } from './api/session';
import { App } from './app';
import { takeInvitationToken } from './pages/accept-invitation-page';
import './styles.css';

/** `/console/config.json`, served by the control plane: where the data plane is. */
interface ConsoleConfig {
  dataPlaneUrl: string;
}

async function start(): Promise<void> {
  // Before anything else (and outside React, whose StrictMode runs initializers twice): the
  // invitation token leaves the address bar at once.
  const invitation = takeInvitationToken();
  const response = await fetch('/console/config.json', { credentials: 'omit' });
  const config = (await response.json()) as ConsoleConfig;
  const origin = window.location.origin;
  const session = createSession({ baseUrl: origin });
  const api: Api = {
    session,
    cp: createCall({ baseUrl: origin, session }),
    dp: createCall({ baseUrl: config.dataPlaneUrl, session }),
    dataPlaneUrl: config.dataPlaneUrl,
  };
  const root = document.getElementById('root');
  if (!root) throw new Error('#root is missing from index.html');
  createRoot(root).render(
    <StrictMode>
      <ApiProvider api={api}>
        <App invitation={invitation} />
      </ApiProvider>
    </StrictMode>,
  );
}

void start();
