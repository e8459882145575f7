import { createKnex, parseDatabaseUrl, redactDatabaseUrl } from '@hellojohn/dal';

/** The managed tenant database server, for `/readyz`. */
export interface TenantServerStatus {
  check(): Promise<{ driver: string; reachable: boolean; error?: string }>;
  close(): Promise<void>;
}

/**
 * Pings the server managed tenant databases are created on (pg/mysql) through one small pool of
 * its own. SQLite has no server: its tenant files live in the data directory.
 */
export function createTenantServerStatus(serverUrl: string): TenantServerStatus {
  const { driver } = parseDatabaseUrl(serverUrl);
  let knex: ReturnType<typeof createKnex> | undefined;
  return {
    async check() {
      if (driver === 'sqlite') return { driver, reachable: true };
      knex ??= createKnex(serverUrl, { poolMax: 1, poolMin: 0, acquireTimeoutMs: 800 });
      try {
        await knex.raw('select 1');
        return { driver, reachable: true };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return { driver, reachable: false, error: redactDatabaseUrl(message) };
      }
    },
    async close() {
      await knex?.destroy();
    },
  };
}
