import { createApp } from './app';

const tenantUrl = process.env.HELLOJOHN_TENANT_URL;
if (!tenantUrl) {
  console.error(
    'Set HELLOJOHN_TENANT_URL to your tenant issuer, e.g. http://localhost:8080/t/acme',
  );
  process.exit(1);
}
const port = Number(process.env.PORT ?? 3000);
const audience = process.env.HELLOJOHN_AUDIENCE;

const server = createApp({ tenantUrl, ...(audience && { audience }) }).listen(port, () => {
  console.log(`sample backend on http://localhost:${port} (tokens from ${tenantUrl})`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close();
  });
}
