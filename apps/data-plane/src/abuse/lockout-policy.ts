import type { LockoutPolicy } from '@hellojohn/abuse';
import { resolveTenantSettings } from '@hellojohn/config';
import type { TenantDirectory } from '../tenancy/tenant-directory';

/**
 * The lockout policy of a tenant, read from its settings through the (cached) tenant directory:
 * the `SignInGuard` contract names the tenant by id only.
 *
 * @example
 * const policyOf = lockoutPolicyFrom(directory, { accessTokenTtlSeconds: 900, bcryptCost: 11 });
 */
export function lockoutPolicyFrom(
  directory: TenantDirectory,
  defaults: { accessTokenTtlSeconds: number; bcryptCost: number },
): (tenantId: string) => Promise<LockoutPolicy> {
  return async function lockoutPolicyOf(tenantId) {
    const tenant = await directory.resolve(tenantId);
    // An unknown tenant never reaches sign-in (resolveTenant answers 404); defaults keep this total.
    const settings = resolveTenantSettings(tenant?.settings ?? {}, defaults);
    return {
      maxFailures: settings.lockoutMaxFailures,
      windowSeconds: settings.lockoutWindowSeconds,
    };
  };
}
