import { resolveTenantSettings, type ResolvedTenantSettings } from '@hellojohn/config';
import type { InternalTenant } from '@hellojohn/contracts';

/** What the data plane knows of a tenant: the control plane's internal API answer. */
export type TenantConfig = InternalTenant;

/** The tenant's settings with defaults applied (see `tenantSettingsSchema` in @hellojohn/config). */
export type TenantPolicy = ResolvedTenantSettings;

export function policyOf(
  tenant: TenantConfig,
  defaults: { accessTokenTtlSeconds: number; bcryptCost: number },
): TenantPolicy {
  return resolveTenantSettings(tenant.settings, defaults);
}
