#!/usr/bin/env node
import { McpConfigError, parseConfig } from './config';
import { startHttpServer } from './http-server';
import { stderrLog } from './log';
import { startStdioServer } from './stdio-server';

/**
 * `npm run --silent mcp` (stdio) or `npm run mcp -- --http --port N [--host H]`; `--read-only`
 * registers only the tools that change nothing. docs/mcp.md.
 */
async function main(): Promise<void> {
  const log = stderrLog();
  const config = parseConfig(process.argv.slice(2), process.env);
  const common = {
    cpUrl: config.cpUrl,
    publicUrl: config.publicUrl,
    readOnly: config.readOnly,
    log,
  };
  const running =
    config.transport === 'http'
      ? await startHttpServer({ ...common, port: config.port, host: config.host })
      : await startStdioServer({
          ...common,
          ...(config.token !== undefined && { token: config.token }),
          ...(config.email !== undefined && { email: config.email }),
          ...(config.password !== undefined && { password: config.password }),
        });
  log('info', 'hellojohn-mcp started', {
    transport: config.transport,
    ...('url' in running && { url: running.url }),
    read_only: config.readOnly,
    control_plane: config.cpUrl,
    data_plane: config.publicUrl,
  });
  const stop = (): void => {
    void running.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `hellojohn-mcp: ${error instanceof McpConfigError || error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
