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

/** Tenant settings the data plane reads, with their defaults. */
export interface TenantPolicy {
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  signUpEnabled: boolean;
  passwordMinLength: number;
  passwordMaxLength: number;
}

const Settings = z.object({
  access_token_ttl: z.number().int().min(60).max(86400).optional(),
  refresh_token_ttl: z.number().int().min(300).max(31_536_000).optional(),
  sign_up_enabled: z.boolean().optional(),
  password_policy: z
    .object({
      min_length: z.number().int().min(8).max(256).optional(),
      max_length: z.number().int().min(8).max(1024).optional(),
    })
    .optional(),
});

export function policyOf(tenant: TenantConfig, defaultAccessTtl: number): TenantPolicy {
  const parsed = Settings.safeParse(tenant.settings);
  const settings = parsed.success ? parsed.data : {};
  return {
    accessTokenTtlSeconds: settings.access_token_ttl ?? defaultAccessTtl,
    refreshTokenTtlSeconds: settings.refresh_token_ttl ?? 30 * 24 * 3600,
    signUpEnabled: settings.sign_up_enabled ?? true,
    passwordMinLength: settings.password_policy?.min_length ?? 12,
    passwordMaxLength: settings.password_policy?.max_length ?? 256,
  };
}
