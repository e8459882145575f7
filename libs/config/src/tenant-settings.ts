import { z } from 'zod';

/**
 * Per-tenant settings: the control plane validates them on write, the data plane reads them with
 * `resolveTenantSettings`. Every field is optional; `TENANT_SETTING_DEFAULTS` fill the gaps.
 */
export const tenantSettingsSchema = z.strictObject({
  sign_up_enabled: z.boolean().optional().describe('Allow self-service sign-up.'),
  enumeration_protection: z
    .boolean()
    .optional()
    .describe('Answer a duplicate sign-up like a success (no tokens), so emails cannot be probed.'),
  access_token_ttl: z.number().int().min(60).max(86400).optional().describe('Seconds.'),
  refresh_token_ttl: z.number().int().min(300).max(31_536_000).optional().describe('Seconds.'),
  refresh_token_mode: z
    .enum(['sliding', 'absolute'])
    .optional()
    .describe('Sliding: each refresh extends the session; absolute: fixed from sign-in.'),
  refresh_reuse_interval: z
    .number()
    .int()
    .min(0)
    .max(60)
    .optional()
    .describe('Seconds in which a just-spent refresh token returns the same successor.'),
  password_policy: z
    .strictObject({
      min_length: z.number().int().min(8).max(256).optional(),
      max_length: z.number().int().min(8).max(1024).optional(),
      reject_common: z.boolean().optional(),
    })
    .optional(),
  max_sessions_per_user: z
    .number()
    .int()
    .min(1)
    .max(500)
    .optional()
    .describe('Live sessions one user may hold; a sign-in past it ends the least recently used.'),
  bcrypt_cost: z.number().int().min(10).max(15).optional(),
  lockout: z
    .strictObject({
      mode: z
        .enum(['lockout', 'delay'])
        .optional()
        .describe(
          'After max_failures failed sign-ins for one email: lockout refuses it until the window ends; delay makes each further attempt wait, doubling from 1 s up to delay_max_seconds.',
        ),
      max_failures: z.number().int().min(3).max(100).optional(),
      window_seconds: z.number().int().min(60).max(86400).optional(),
      delay_max_seconds: z
        .number()
        .int()
        .min(1)
        .max(3600)
        .optional()
        .describe('The longest wait between attempts in delay mode, in seconds.'),
    })
    .optional(),
  key_rotation_days: z
    .number()
    .int()
    .min(1)
    .max(3650)
    .nullable()
    .optional()
    .describe('Rotate signing keys automatically every N days; null or absent: off.'),
  branding: z
    .strictObject({
      display_name: z.string().max(200).optional(),
      logo_url: z
        .url({ protocol: /^https$/ })
        .max(2000)
        .optional(),
      primary_color: z
        .string()
        .regex(/^#[0-9a-fA-F]{6}$/)
        .optional(),
    })
    .optional(),
});

export type TenantSettings = z.infer<typeof tenantSettingsSchema>;

export const TENANT_SETTING_DEFAULTS = {
  signUpEnabled: true,
  enumerationProtection: false,
  refreshTokenTtlSeconds: 30 * 24 * 3600,
  refreshTokenMode: 'sliding' as 'sliding' | 'absolute',
  refreshReuseIntervalSeconds: 10,
  maxSessionsPerUser: 50,
  passwordMinLength: 12,
  passwordMaxLength: 256,
  rejectCommonPasswords: true,
  bcryptCost: 11,
  lockoutMode: 'lockout' as 'lockout' | 'delay',
  lockoutMaxFailures: 10,
  lockoutWindowSeconds: 15 * 60,
  lockoutDelayMaxSeconds: 30,
  keyRotationDays: null as number | null,
};

export interface ResolvedTenantSettings {
  signUpEnabled: boolean;
  enumerationProtection: boolean;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  refreshTokenMode: 'sliding' | 'absolute';
  refreshReuseIntervalSeconds: number;
  maxSessionsPerUser: number;
  passwordMinLength: number;
  passwordMaxLength: number;
  rejectCommonPasswords: boolean;
  bcryptCost: number;
  lockoutMode: 'lockout' | 'delay';
  lockoutMaxFailures: number;
  lockoutWindowSeconds: number;
  lockoutDelayMaxSeconds: number;
  keyRotationDays: number | null;
}

/**
 * Settings with defaults applied. Unknown or invalid stored values fall back to defaults rather
 * than failing requests (the control plane validated them on write).
 *
 * @example
 * const policy = resolveTenantSettings(tenant.settings, { accessTokenTtlSeconds: 900, bcryptCost: 11 });
 */
export function resolveTenantSettings(
  stored: unknown,
  defaults: { accessTokenTtlSeconds: number; bcryptCost: number },
): ResolvedTenantSettings {
  const parsed = tenantSettingsSchema.safeParse(stored);
  const s: TenantSettings = parsed.success ? parsed.data : {};
  const d = TENANT_SETTING_DEFAULTS;
  return {
    signUpEnabled: s.sign_up_enabled ?? d.signUpEnabled,
    enumerationProtection: s.enumeration_protection ?? d.enumerationProtection,
    accessTokenTtlSeconds: s.access_token_ttl ?? defaults.accessTokenTtlSeconds,
    refreshTokenTtlSeconds: s.refresh_token_ttl ?? d.refreshTokenTtlSeconds,
    refreshTokenMode: s.refresh_token_mode ?? d.refreshTokenMode,
    refreshReuseIntervalSeconds: s.refresh_reuse_interval ?? d.refreshReuseIntervalSeconds,
    maxSessionsPerUser: s.max_sessions_per_user ?? d.maxSessionsPerUser,
    passwordMinLength: s.password_policy?.min_length ?? d.passwordMinLength,
    passwordMaxLength: s.password_policy?.max_length ?? d.passwordMaxLength,
    rejectCommonPasswords: s.password_policy?.reject_common ?? d.rejectCommonPasswords,
    bcryptCost: s.bcrypt_cost ?? defaults.bcryptCost,
    lockoutMode: s.lockout?.mode ?? d.lockoutMode,
    lockoutMaxFailures: s.lockout?.max_failures ?? d.lockoutMaxFailures,
    lockoutWindowSeconds: s.lockout?.window_seconds ?? d.lockoutWindowSeconds,
    lockoutDelayMaxSeconds: s.lockout?.delay_max_seconds ?? d.lockoutDelayMaxSeconds,
    keyRotationDays: s.key_rotation_days ?? d.keyRotationDays,
  };
}
