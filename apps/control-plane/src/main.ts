import { ConfigError, loadConfig } from '@hellojohn/config';
import { createLogger, onShutdown } from '@hellojohn/http';
import { startControlPlane } from './server';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ name: 'control-plane', level: config.logLevel });
  for (const warning of config.warnings) logger.warn(warning);
  const running = await startControlPlane(config, logger);
  if (running.bootstrap.created) {
    logger.warn(
      {
        email: running.bootstrap.email,
        password: running.bootstrap.generatedPassword ?? '(from HJ_ADMIN_PASSWORD)',
      },
      'first CP admin created: store this password now, it is not shown again',
    );
  }
  logger.info({ url: running.url }, 'control plane listening');
  onShutdown({ servers: [running.server], logger, cleanup: [() => running.deps.close()] });
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('control plane failed to start:', error);
  }
  process.exit(1);
});
