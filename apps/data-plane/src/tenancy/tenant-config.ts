import { resolveTenantSettings, type ResolvedTenantSettings } from '@hellojohn/config';
import { z } from 'zod';

/** What the data plane knows of a tenant, read from the control plane's internal API. */
export const TenantConfigSchema = z.object({
  id: z.uuid(),
  slug: z.string(),
  name: z.string(),
  status: z.enum(['provisioning', 'active', 'failed', 'deleting']),
  issuer: z.string(),
  settings: z.record(z.string(), z.unknown()),
  database: z.union([
    z.object({ mode: z.literal('managed') }),
    z.object({ mode: z.literal('external'), driver: z.string(), url: z.string() }),
  ]),
});

export type TenantConfig = z.infer<typeof TenantConfigSchema>;

/** The tenant's settings with defaults applied (see `tenantSettingsSchema` in @hellojohn/config). */
export type TenantPolicy = ResolvedTenantSettings;

export function policyOf(
  tenant: TenantConfig,
  defaults: { accessTokenTtlSeconds: number; bcryptCost: number },
): TenantPolicy {
  return resolveTenantSettings(tenant.settings, defaults);
}
