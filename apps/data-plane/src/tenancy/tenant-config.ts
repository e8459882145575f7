import { resolveTenantSettings, type ResolvedTenantSettings } from '@hellojohn/config';
import type { InternalTenant } from '@hellojohn/contracts';

/** What the data plane knows of a tenant: the control plane's internal API answer. */
export type TenantConfig = InternalTenant;

/** The tenant's settings with defaults applied (see `tenantSettingsSchema` in @hellojohn/config). */
export type TenantPolicy = ResolvedTenantSettings;

interface PolicyDefaults {
  accessTokenTtlSeconds: number;
  bcryptCost: number;
}

/**
 * Resolved policies by tenant answer: the tenant directory hands out the same object until the
 * tenant changes, so settings are parsed once per version instead of on every request (they
 * showed up in the token endpoint's profile). Weak, so a dropped answer takes its policy along.
 */
const resolved = new WeakMap<TenantConfig, { defaults: PolicyDefaults; policy: TenantPolicy }>();

export function policyOf(tenant: TenantConfig, defaults: PolicyDefaults): TenantPolicy {
  const cached = resolved.get(tenant);
  if (
    cached !== undefined &&
    cached.defaults.accessTokenTtlSeconds === defaults.accessTokenTtlSeconds &&
    cached.defaults.bcryptCost === defaults.bcryptCost
  ) {
    return cached.policy;
  }
  const policy = Object.freeze(resolveTenantSettings(tenant.settings, defaults));
  resolved.set(tenant, { defaults: { ...defaults }, policy });
  return policy;
}
