import type { GlobalDb } from '@hellojohn/dal';
import { AppError } from '@hellojohn/http';

/**
 * Turns a grant's tenants as given (`"*"`, omitted, or ids and slugs) into what is stored: null
 * for every tenant, else tenant ids. An unknown tenant is a 400 naming its position in `field`.
 */
export async function resolveGrantTenants(
  db: GlobalDb,
  refs: '*' | readonly string[] | undefined,
  field = 'body.tenants',
): Promise<string[] | null> {
  if (refs === undefined || refs === '*') return null;
  const ids: string[] = [];
  const errors: Array<{ path: string; message: string }> = [];
  for (const [index, ref] of refs.entries()) {
    const tenant = await db.tenants.findByRef(ref);
    if (tenant) ids.push(tenant.id);
    else errors.push({ path: `${field}.${String(index)}`, message: 'no such tenant' });
  }
  if (errors.length > 0) {
    throw new AppError('validation_failed', 'The grant names tenants that do not exist.', {
      errors,
    });
  }
  return [...new Set(ids)];
}

/** How a stored grant's tenants read in the API. */
export function grantTenantsView(tenants: readonly string[] | null): '*' | string[] {
  return tenants === null ? '*' : [...tenants];
}
