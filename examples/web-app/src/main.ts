import { callbackUris, configFromEnv } from './config';
import { startWebApp } from './server';

async function main(): Promise<void> {
  let settings: ReturnType<typeof configFromEnv>;
  try {
    settings = configFromEnv(process.env);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    console.error('See examples/web-app/README.md for the variables to set.');
    process.exit(1);
  }
  const { config, port } = settings;
  const app = await startWebApp(config, { port });
  const { redirectUri, postLogoutRedirectUri } = callbackUris(config);
  console.log(`web app on ${config.appUrl} (port ${port})`);
  console.log(`  signs in with ${config.issuer} as client ${config.clientId}`);
  console.log(`  calls the sample backend at ${config.backendUrl}`);
  console.log(`  the client needs --redirect-uris ${redirectUri}`);
  console.log(`               and --post-logout-redirect-uri ${postLogoutRedirectUri}`);

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void app.close();
    });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
