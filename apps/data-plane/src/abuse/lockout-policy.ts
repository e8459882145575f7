import type { LockoutPolicy } from '@hellojohn/abuse';
import { resolveTenantSettings } from '@hellojohn/config';
import type { TenantDirectory } from '../tenancy/tenant-directory';

/**
 * What a tenant does about failed sign-ins for one account (tenant settings `lockout.*`): after
 * `maxFailures` failures within `windowSeconds`, either lock the account until the window ends
 * (`lockout`) or make every further attempt wait, doubling from 1 s up to `delayMaxSeconds`
 * (`delay`).
 */
export interface AccountPolicy extends LockoutPolicy {
  mode: 'lockout' | 'delay';
  delayMaxSeconds: number;
}

/**
 * The account policy of a tenant, read from its settings through the (cached) tenant directory:
 * the `SignInGuard` contract names the tenant by id only.
 *
 * @example
 * const policyOf = lockoutPolicyFrom(directory, { accessTokenTtlSeconds: 900, bcryptCost: 11 });
 */
export function lockoutPolicyFrom(
  directory: TenantDirectory,
  defaults: { accessTokenTtlSeconds: number; bcryptCost: number },
): (tenantId: string) => Promise<AccountPolicy> {
  return async function lockoutPolicyOf(tenantId) {
    const tenant = await directory.resolve(tenantId);
    // An unknown tenant never reaches sign-in (resolveTenant answers 404); defaults keep this total.
    const settings = resolveTenantSettings(tenant?.settings ?? {}, defaults);
    return {
      mode: settings.lockoutMode,
      maxFailures: settings.lockoutMaxFailures,
      windowSeconds: settings.lockoutWindowSeconds,
      delayMaxSeconds: settings.lockoutDelayMaxSeconds,
    };
  };
}
