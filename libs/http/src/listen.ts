import type { Server } from 'node:http';
import type { Express } from 'express';

/**
 * Starts listening and resolves once the port is bound (port 0 picks a free one).
 *
 * @example
 * const { server, port } = await listen(app, 8080, '0.0.0.0');
 */
export function listen(
  app: Express,
  port: number,
  host: string,
): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error?: Error) => {
      if (error) {
        reject(error);
        return;
      }
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address ? address.port : port });
    });
  });
}

/** Stops accepting connections and drops open ones (tests and embedded shutdown). */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => {
      resolve();
    });
    server.closeAllConnections();
  });
}
