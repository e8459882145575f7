import type { GlobalDb, TenantRow } from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';

/** The tenant a path names by id or slug; 404 `tenant_not_found` when there is none. */
export async function findTenant(db: GlobalDb, ref: string): Promise<TenantRow> {
  const tenant = await db.tenants.findByRef(ref);
  if (!tenant) throw new AppError('tenant_not_found', `No tenant "${ref}".`);
  return tenant;
}

/** Tenants being deleted take no new configuration: the data plane is tearing them down. */
export async function writableTenant(tx: GlobalDb, ref: string): Promise<TenantRow> {
  const tenant = await findTenant(tx, ref);
  if (tenant.status === 'deleting') {
    throw new AppError('tenant_not_ready', `The tenant "${ref}" is being deleted.`);
  }
  return tenant;
}

/** The tenant's client `clientId`; 404 `client_not_found` when there is none. */
export async function findClient(db: GlobalDb, tenant: TenantRow, clientId: string) {
  const row = await db.clients.findByClientId(tenant.id, clientId);
  if (!row) throw new AppError('client_not_found', `No client "${clientId}".`);
  return row;
}
