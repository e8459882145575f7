export { loadConfig, ConfigError } from './load-config';
export type { Config, ConfigIssue } from './load-config';
export { envSchema } from './schema';
export type { Env } from './schema';
export {
  resolveTenantSettings,
  TENANT_SETTING_DEFAULTS,
  tenantSettingsSchema,
} from './tenant-settings';
export type { MfaPolicy, ResolvedTenantSettings, TenantSettings } from './tenant-settings';
export { relyingPartyIssues, rpIdFitsOrigin, webauthnOrigin } from './webauthn-rp';
