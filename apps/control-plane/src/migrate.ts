/**
 * `node apps/control-plane/dist/migrate.js` (or `npm run migrate:control-plane`): applies pending
 * control-plane migrations and exits. The Kubernetes migration Job runs it before a rollout.
 */
import { ConfigError, loadConfig } from '@hellojohn/config';
import { createKnex, migrateControlPlane, redactDatabaseUrl } from '@hellojohn/dal';

async function main(): Promise<void> {
  const config = loadConfig();
  const knex = createKnex(config.cpDatabaseUrl);
  try {
    process.stdout.write(
      `Migrating control-plane database ${redactDatabaseUrl(config.cpDatabaseUrl)}\n`,
    );
    const applied = await migrateControlPlane(knex);
    for (const name of applied) process.stdout.write(`  applied ${name}\n`);
    process.stdout.write(
      applied.length ? `Done: ${applied.length} applied.\n` : 'Already up to date.\n',
    );
  } finally {
    await knex.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
