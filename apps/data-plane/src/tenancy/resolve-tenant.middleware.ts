import type { TenantPools } from '@hellojohn/dal';
import { AppError, guard, type Guard } from '@hellojohn/http';
import { policyOf, type TenantConfig } from './tenant-config';
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
 * id). Neither -> 400 `validation_failed`; both given and naming different tenants -> 400
 * `tenant_mismatch`; unknown or not active -> 404 `tenant_not_found`, the same answer for both so
 * tenant existence does not leak through status; the control plane unreachable with nothing
 * cached -> 503 `service_unavailable`.
 */
export function resolveTenant(deps: {
  directory: TenantDirectory;
  pools: TenantPools;
  defaults: { accessTokenTtlSeconds: number; bcryptCost: number };
}): Guard {
  const errors = [
    'validation_failed',
    'tenant_mismatch',
    'tenant_not_found',
    'service_unavailable',
  ] as const;
  // One context per cached tenant config: its policy and database handle are pure functions of
  // the config (the handle opens or re-opens the pool on each use), so requests share them. A
  // refreshed or invalidated config is a new object, which gets a new context.
  const contexts = new WeakMap<TenantConfig, TenantContext>();
  const contextOf = (tenant: TenantConfig): TenantContext => {
    let context = contexts.get(tenant);
    if (context === undefined) {
      context = Object.freeze({
        config: tenant,
        policy: policyOf(tenant, deps.defaults),
        db: deps.pools.get(connectionInfoOf(tenant)),
      });
      contexts.set(tenant, context);
    }
    return context;
  };
  return guard({ errors }, async function resolveTenantOfRequest(req, res, next) {
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
    res.locals.tenant = contextOf(tenant);
    next();
  });
}
