import { join } from 'node:path';
import { createKnex, managedDatabaseName, parseDatabaseUrl } from '@hellojohn/dal';
import type { Knex } from 'knex';

/** Opens a tenant's managed database directly, to check where rows really live. */
export function openTenantDatabase(serverUrl: string, tenantId: string): Knex {
  const target = parseDatabaseUrl(serverUrl);
  const name = managedDatabaseName(tenantId);
  if (target.driver === 'sqlite') {
    return createKnex(`sqlite:${join(target.filename ?? '', `${name}.db`)}`);
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return createKnex(url.toString());
}
