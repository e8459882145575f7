import type { TenantConnectionInfo, TenantDb } from '@hellojohn/dal';
import type { Response } from 'express';
import type { TenantConfig, TenantPolicy } from './tenant-config';

/** The tenant a request is for, with its database handle: set by `resolveTenant`. */
export interface TenantContext {
  config: TenantConfig;
  policy: TenantPolicy;
  db: TenantDb;
}

export function tenantOf(res: Response): TenantContext {
  const tenant = res.locals.tenant as TenantContext | undefined;
  if (!tenant) throw new Error('resolveTenant did not run before this handler');
  return tenant;
}

export function connectionInfoOf(
  tenant: Pick<TenantConfig, 'id' | 'database'>,
): TenantConnectionInfo {
  return {
    tenantId: tenant.id,
    database:
      tenant.database.mode === 'external'
        ? { mode: 'external', url: tenant.database.url }
        : { mode: 'managed' },
  };
}
