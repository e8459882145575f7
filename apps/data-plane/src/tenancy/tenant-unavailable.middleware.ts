import { ConnectionBudgetExceededError, isConnectionError } from '@hellojohn/dal';
import { AppError, guard, type Guard } from '@hellojohn/http';
import type { ErrorRequestHandler } from 'express';
import type { TenantHealth } from './tenant-health';

/**
 * Turns "this tenant's database server cannot be reached" (refused, timed out, unknown host, pool
 * acquire timeout: see `isConnectionError`) into 503 `tenant_unavailable`, and notes the tenant
 * for `/readyz`. Only that tenant's requests fail: every tenant has its own pool, with a short
 * acquire timeout, so the others keep being served.
 */
export function tenantUnavailable(health: TenantHealth): Guard<ErrorRequestHandler> {
  const mapTenantDatabaseDown: ErrorRequestHandler = function mapTenantDatabaseDown(
    error: unknown,
    _req,
    res,
    next,
  ) {
    if (!isConnectionError(error)) {
      next(error);
      return;
    }
    const tenant = (res.locals.tenant as { config?: { id: string } } | undefined)?.config;
    // A spent connection budget is this replica's load, not the tenant's database being down.
    const down = !(error instanceof ConnectionBudgetExceededError);
    if (tenant && down) health.reportDown(tenant.id, error);
    next(
      new AppError(
        'tenant_unavailable',
        "The tenant's database cannot be reached; try again shortly.",
        {
          cause: error,
          headers: { 'Retry-After': '5' },
        },
      ),
    );
  };
  return guard({ errors: ['tenant_unavailable'] }, mapTenantDatabaseDown);
}
