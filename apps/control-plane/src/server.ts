import type { Server } from 'node:http';
import type { Config } from '@hellojohn/config';
import type { EventBus } from '@hellojohn/events';
import { closeServer, createMetrics, listen, type Logger } from '@hellojohn/http';
import { createApp } from './app';
import { createDeps, type Deps } from './deps';
import type { BootstrapResult } from './features/admins';

export interface RunningControlPlane {
  deps: Deps;
  server: Server;
  url: string;
  bootstrap: BootstrapResult;
  close(): Promise<void>;
}

/** Builds and starts the control plane; used by main.ts and by the embedded `npm start`. */
export async function startControlPlane(
  config: Config,
  logger: Logger,
  options: { bus?: EventBus; port?: number } = {},
): Promise<RunningControlPlane> {
  const deps = await createDeps(config, logger, options);
  const bootstrap = await deps.modules.admins.service.bootstrap(
    config.adminEmail,
    config.adminPassword,
  );
  const app = createApp(deps, createMetrics('control_plane'));
  const { server, port } = await listen(app, options.port ?? config.cpPort, config.host);
  return {
    deps,
    server,
    url: `http://localhost:${port}`,
    bootstrap,
    async close() {
      await closeServer(server);
      await deps.close();
    },
  };
}
