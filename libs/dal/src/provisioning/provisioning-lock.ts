import type { RowDataPacket } from 'mysql2/promise';
import { parseDatabaseUrl } from '../url';
import { managedDatabaseName } from './managed';
import { withMysqlConnection, withPgClient } from './server-connection';

const MYSQL_LOCK_TIMEOUT_SECONDS = 30;

const sqliteQueues = new Map<string, Promise<void>>();

async function withInProcessLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const previous = sqliteQueues.get(key) ?? Promise.resolve();
  let release: () => void = () => undefined;
  const current = new Promise<void>((resolve) => {
    release = resolve;
  });
  const tail = previous.then(() => current);
  sqliteQueues.set(key, tail);
  await previous;
  try {
    return await fn();
  } finally {
    release();
    if (sqliteQueues.get(key) === tail) sqliteQueues.delete(key);
  }
}

/**
 * Runs `fn` while holding a cluster-wide lock for provisioning one tenant, so two data-plane
 * replicas never provision (or drop) the same tenant at once. pg: an advisory lock on one
 * dedicated connection; MySQL: GET_LOCK (30 s, then an error); SQLite: an in-process mutex
 * (one process owns an embedded deployment).
 *
 * @example
 * await withProvisioningLock(url, tenant.id, async () => {
 *   await ensureManagedDatabase(url, tenant.id);
 *   await pools.migrate({ tenantId: tenant.id, database: { mode: 'managed' } });
 * });
 */
export async function withProvisioningLock<T>(
  serverUrl: string,
  tenantId: string,
  fn: () => Promise<T>,
): Promise<T> {
  const name = managedDatabaseName(tenantId);
  const { driver } = parseDatabaseUrl(serverUrl);
  switch (driver) {
    case 'pg':
      return withPgClient(serverUrl, async (client) => {
        const key = `hellojohn:provision:${name}`;
        await client.query('select pg_advisory_lock(hashtext($1))', [key]);
        try {
          return await fn();
        } finally {
          await client.query('select pg_advisory_unlock(hashtext($1))', [key]);
        }
      });
    case 'mysql':
      return withMysqlConnection(serverUrl, async (connection) => {
        // MySQL lock names are limited to 64 characters: 'hj_provision_' + 37 = 50.
        const key = `hj_provision_${name}`;
        const [rows] = await connection.query<RowDataPacket[]>('select GET_LOCK(?, ?) as got', [
          key,
          MYSQL_LOCK_TIMEOUT_SECONDS,
        ]);
        if (rows[0]?.['got'] !== 1) {
          throw new Error(`Timed out waiting for the provisioning lock of tenant ${tenantId}`);
        }
        try {
          return await fn();
        } finally {
          await connection.query('select RELEASE_LOCK(?)', [key]);
        }
      });
    case 'sqlite':
      return withInProcessLock(name, fn);
  }
}
