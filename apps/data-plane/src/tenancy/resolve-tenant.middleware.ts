import type { TenantPools } from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';
import type { RequestHandler } from 'express';
import { policyOf } from './tenant-config';
import { connectionInfoOf, type TenantContext } from './tenant-context';
import type { TenantDirectory } from './tenant-directory';

const TENANT_REF = /^[A-Za-z0-9-]{1,63}$/;

function headerRef(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  const ref = Array.isArray(value) ? value[0] : value;
  return ref?.trim() || undefined;
}

/**
 * Names the tenant of a request by the `/t/{tenant}` prefix or the `X-Tenant-ID` header (slug or
 * id). Both given and naming different tenants -> 400; unknown or not active -> 404, the same
 * answer for both so tenant existence does not leak through status.
 */
export function resolveTenant(deps: {
  directory: TenantDirectory;
  pools: TenantPools;
  defaults: { accessTokenTtlSeconds: number; bcryptCost: number };
}): RequestHandler {
  return async function resolveTenantOfRequest(req, res, next) {
    const params = req.params as Record<string, string | undefined>;
    const fromPath = params.tenant;
    const fromHeader = headerRef(req.headers['x-tenant-id']);
    const ref = fromPath ?? fromHeader;
    if (!ref) {
      throw new AppError('validation_failed', 'Name the tenant with /t/{tenant} or X-Tenant-ID.', {
        errors: [{ path: 'header.X-Tenant-ID', message: 'required' }],
      });
    }
    for (const candidate of [fromPath, fromHeader]) {
      if (candidate !== undefined && !TENANT_REF.test(candidate)) {
        throw new AppError('tenant_not_found', 'No such tenant.');
      }
    }
    const tenant = await deps.directory.resolve(ref);
    if (!tenant || tenant.status !== 'active')
      throw new AppError('tenant_not_found', 'No such tenant.');
    if (fromPath && fromHeader && fromHeader !== tenant.id && fromHeader !== tenant.slug) {
      throw new AppError('tenant_mismatch', 'The path and X-Tenant-ID name different tenants.');
    }
    const context: TenantContext = {
      config: tenant,
      policy: policyOf(tenant, deps.defaults),
      db: deps.pools.get(connectionInfoOf(tenant)),
    };
    res.locals.tenant = context;
    next();
  };
}
