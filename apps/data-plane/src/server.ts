import type { Server } from 'node:http';
import type { Config } from '@hellojohn/config';
import type { EventBus } from '@hellojohn/events';
import { closeServer, createMetrics, listen, type Logger } from '@hellojohn/http';
import { createApp } from './app';
import { createDeps, type Deps } from './deps';

export interface RunningDataPlane {
  deps: Deps;
  server: Server;
  url: string;
  close(): Promise<void>;
}

/** Builds and starts the data plane; used by main.ts and by the embedded `npm start`. */
export async function startDataPlane(
  config: Config,
  logger: Logger,
  options: { bus?: EventBus; port?: number; limitKeyPrefix?: string } = {},
): Promise<RunningDataPlane> {
  const metrics = createMetrics('data_plane');
  const deps = await createDeps(config, logger, { ...options, registry: metrics.registry });
  const app = createApp(deps, metrics);
  const { server, port } = await listen(app, options.port ?? config.dpPort, config.host);
  return {
    deps,
    server,
    url: `http://localhost:${port}`,
    async close() {
      await closeServer(server);
      await deps.close();
    },
  };
}
