import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createWebApp } from './app';
import type { WebAppConfig } from './config';

export interface RunningWebApp {
  /** Where it listens, e.g. `http://127.0.0.1:3001`. */
  url: string;
  close(): Promise<void>;
}

/**
 * Creates the app and listens on `port` (default: the port of `config.appUrl`) and `host`
 * (default: every interface).
 */
export async function startWebApp(
  config: WebAppConfig,
  listen: { port?: number; host?: string } = {},
): Promise<RunningWebApp> {
  const app = createWebApp(config);
  const server = createServer(app);
  const appUrl = new URL(config.appUrl);
  const port = listen.port ?? Number(appUrl.port || (appUrl.protocol === 'https:' ? 443 : 80));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, listen.host, resolve);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
        // Browsers keep connections open; the example has nothing in flight worth waiting for.
        server.closeIdleConnections();
      }),
  };
}
