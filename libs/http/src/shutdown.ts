import type { Server } from 'node:http';
import type { Logger } from 'pino';

/**
 * On SIGTERM/SIGINT: stop accepting connections, let in-flight requests finish, run the cleanup
 * steps in order, then exit. A second signal, or `timeoutMs`, forces the exit.
 *
 * @example
 * onShutdown({ servers: [server], logger, cleanup: [() => deps.close()] });
 */
export function onShutdown(options: {
  servers: Server[];
  logger: Logger;
  cleanup: Array<() => Promise<void>>;
  timeoutMs?: number;
}): void {
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) {
      options.logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    options.logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      options.logger.error('shutdown timed out: exiting');
      process.exit(1);
    }, options.timeoutMs ?? 15000);
    force.unref();
    await Promise.all(
      options.servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => {
              resolve();
            });
            server.closeIdleConnections();
          }),
      ),
    );
    for (const step of options.cleanup) {
      try {
        await step();
      } catch (error) {
        options.logger.error({ err: error }, 'cleanup step failed');
      }
    }
    options.logger.info('stopped');
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      void stop(signal);
    });
  }
}
