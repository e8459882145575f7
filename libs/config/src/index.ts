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
export {
  MAIL_TEMPLATE_COMMON_VARIABLES,
  MAIL_TEMPLATE_KIND_VARIABLES,
  MAIL_TEMPLATE_LIMITS,
  MAIL_TEMPLATE_LOCALES,
  MAIL_TEMPLATE_PARTS,
  mailTemplateIssues,
  mailTemplatesIssues,
  mailTemplatesSchema,
  mailTemplateVariables,
} from './mail-templates';
export type { MailTemplateKind, MailTemplateOverrides, MailTemplatePart } from './mail-templates';
export {
  CUSTOM_CLAIMS_BUDGET_BYTES,
  customClaimsSchema,
  MAX_CUSTOM_CLAIMS,
  RESERVED_CLAIMS,
} from './custom-claims';
export type { CustomClaimRule } from './custom-claims';
