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
  // Per settings object: the directory hands out the same object until the tenant changes, and
  // parsing the settings twice per sign-in (before and after the password) showed in profiles.
  const policies = new WeakMap<object, AccountPolicy>();
  const policyOf = (settings: Record<string, unknown>): AccountPolicy => {
    const cached = policies.get(settings);
    if (cached) return cached;
    const resolved = resolveTenantSettings(settings, defaults);
    const policy: AccountPolicy = Object.freeze({
      mode: resolved.lockoutMode,
      maxFailures: resolved.lockoutMaxFailures,
      windowSeconds: resolved.lockoutWindowSeconds,
      delayMaxSeconds: resolved.lockoutDelayMaxSeconds,
    });
    policies.set(settings, policy);
    return policy;
  };
  return async function lockoutPolicyOf(tenantId) {
    const tenant = await directory.resolve(tenantId);
    // An unknown tenant never reaches sign-in (resolveTenant answers 404); defaults keep this total.
    return tenant ? policyOf(tenant.settings) : policyOf({});
  };
}
