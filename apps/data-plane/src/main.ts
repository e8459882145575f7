import { ConfigError, loadConfig } from '@hellojohn/config';
import { createLogger, onShutdown } from '@hellojohn/http';
import { startDataPlane } from './server';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ name: 'data-plane', level: config.logLevel });
  for (const warning of config.warnings) logger.warn(warning);
  if (!config.rabbitmqUrl) {
    logger.warn(
      'HJ_RABBITMQ_URL is unset: this data plane hears only events published in its own process',
    );
  }
  const running = await startDataPlane(config, logger);
  logger.info({ url: running.url }, 'data plane listening');
  onShutdown({ servers: [running.server], logger, cleanup: [() => running.deps.close()] });
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('data plane failed to start:', error);
  }
  process.exit(1);
});
