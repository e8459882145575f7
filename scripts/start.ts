/**
 * `npm start`: both planes in one process. Without HJ_RABBITMQ_URL they share one in-process
 * event bus (the embedded default: SQLite, in-memory cache, no external service); with it, each
 * plane talks to RabbitMQ exactly as it does when deployed alone.
 */
import { ConfigError, loadConfig } from '@hellojohn/config';
import { createInProcessBus } from '@hellojohn/events';
import { createLogger, onShutdown } from '@hellojohn/http';
import { startControlPlane } from '@hellojohn/control-plane';
import { startDataPlane } from '@hellojohn/data-plane';
import { ensureConsoleBuild } from './ensure-console-build';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ name: 'hellojohn', level: config.logLevel });
  for (const warning of config.warnings) logger.warn(warning);
  // The operator console is static files the control plane serves at /console/: built here
  // when missing or stale, so `npm install && npm start` needs no extra command.
  try {
    ensureConsoleBuild((line) => logger.info(line));
  } catch (error) {
    logger.warn({ err: error }, 'console: build failed; /console/ answers 503 until it is built');
  }
  const bus = config.rabbitmqUrl ? undefined : createInProcessBus({ logger });
  const controlPlane = await startControlPlane(config, logger.child({ plane: 'control' }), { bus });
  const dataPlane = await startDataPlane(config, logger.child({ plane: 'data' }), { bus });

  const lines = [
    '',
    'HelloJohn is running',
    `  control plane  ${controlPlane.url}   (API docs: ${controlPlane.url}/docs)`,
    `  data plane     ${dataPlane.url}   (API docs: ${dataPlane.url}/docs)`,
    `  console        ${controlPlane.url}/console/`,
  ];
  if (controlPlane.bootstrap.created) {
    lines.push(
      '',
      'First CP admin (shown once; store it now):',
      `  email     ${controlPlane.bootstrap.email}`,
      `  password  ${controlPlane.bootstrap.generatedPassword ?? '(the value of HJ_ADMIN_PASSWORD)'}`,
    );
  }
  lines.push('', 'Try it: docs/quickstart.md', '');
  process.stdout.write(`${lines.join('\n')}\n`);

  onShutdown({
    servers: [controlPlane.server, dataPlane.server],
    logger,
    cleanup: [
      () => dataPlane.deps.close(),
      () => controlPlane.deps.close(),
      async () => bus?.close(),
    ],
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
