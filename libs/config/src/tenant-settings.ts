import { z } from 'zod';
import { customClaimsSchema, type CustomClaimRule } from './custom-claims';
import { mailTemplatesSchema, type MailTemplateOverrides } from './mail-templates';
import { mailFrom, smtpUrl } from './schema';
import { relyingPartyIssues, webauthnOrigin } from './webauthn-rp';

/**
 * A tenant's own passkey relying party. When both are given they must fit together; an `rp_id`
 * alone is checked against the data plane's origins when it is used (the control plane does not
 * know them).
 */
const webauthnSettings = z
  .strictObject({
    rp_id: z
      .string()
      .min(1)
      .max(253)
      .optional()
      .describe(
        'The relying-party ID: the host of every origin, or a parent domain of it. Passkeys are bound to it.',
      ),
    origins: z
      .array(
        z
          .string()
          .max(300)
          .refine(
            (value) => webauthnOrigin(value) === value,
            'must be an origin: https://host[:port] (http only on localhost), no path or trailing slash',
          ),
      )
      .min(1)
      .max(20)
      .optional()
      .describe('Origins whose pages may create and use passkeys.'),
  })
  .superRefine((value, ctx) => {
    if (value.rp_id === undefined) return;
    for (const message of relyingPartyIssues(value.rp_id, value.origins ?? [])) {
      ctx.addIssue({ code: 'custom', path: ['rp_id'], message });
    }
  });

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
  require_email_verification: z
    .boolean()
    .optional()
    .describe(
      'Refuse sign-in (403 email_not_verified, no tokens) until the email is verified; sign-up then mails a verification link instead of signing in.',
    ),
  mail_tokens: z
    .strictObject({
      verify_email_ttl: z.number().int().min(300).max(604_800).optional().describe('Seconds.'),
      password_reset_ttl: z.number().int().min(300).max(86_400).optional().describe('Seconds.'),
      magic_link_ttl: z.number().int().min(60).max(3600).optional().describe('Seconds.'),
      email_otp_ttl: z.number().int().min(60).max(3600).optional().describe('Seconds.'),
    })
    .optional()
    .describe('Lifetimes of the one-time links and codes sent by mail.'),
  access_token_ttl: z.number().int().min(60).max(86400).optional().describe('Seconds.'),
  access_token_alg: z
    .enum(['EdDSA', 'RS256', 'ES256'])
    .optional()
    .describe(
      'Signing algorithm of first-party access tokens (/v1/auth/*, OAuth user grants, client credentials): EdDSA (default), RS256 or ES256 for verifiers without EdDSA. The tenant JWKS always publishes all three keys.',
    ),
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
  mail: z
    .strictObject({
      smtp_url: smtpUrl
        .max(2048)
        .optional()
        .describe(
          "The tenant's own SMTP server, instead of HJ_SMTP_URL. The control plane stores its password encrypted and shows it as `***`.",
        ),
      from: mailFrom.optional().describe("Sender of this tenant's mails, instead of HJ_MAIL_FROM."),
      templates: mailTemplatesSchema
        .optional()
        .describe(
          "The tenant's own templates: `{ [kind]: { en|es: { subject?, text?, html? } } }`, Handlebars with the kind's variables only, escaped, no triple-stash, partials or helpers but #if/#unless (docs/mail.md).",
        ),
    })
    .optional(),
  passwordless: z
    .strictObject({
      magic_link: z.boolean().optional().describe('Offer sign-in by mailed link (default true).'),
      email_otp: z
        .boolean()
        .optional()
        .describe('Offer sign-in by mailed 6-digit code (default true).'),
    })
    .optional()
    .describe('Passwordless sign-in methods; a method turned off answers 403 feature_disabled.'),
  mfa: z
    .enum(['off', 'optional', 'required'])
    .optional()
    .describe(
      'Multi-factor sign-in: off ignores second factors; optional asks users who enrolled one; required also makes users without one enrol at their next sign-in.',
    ),
  custom_claims: customClaimsSchema
    .optional()
    .describe(
      'Claims of your own in user tokens, declaratively: `[{claim, from | value, tokens: [access|id|userinfo], when?: {from, equals}}]` (docs/apis.md#custom-claims). Reserved claims are refused; a client may override the list.',
    ),
  federation: z
    .strictObject({
      auto_link_verified_email: z
        .boolean()
        .optional()
        .describe(
          'Link a first federated sign-in to the existing account with the same email when the provider says the email is verified (default false: the user signs in with the password first).',
        ),
    })
    .optional()
    .describe('Sign-in with upstream identity providers (docs/federation.md).'),
  webauthn: webauthnSettings
    .optional()
    .describe(
      "Passkeys (WebAuthn) relying party, instead of HJ_WEBAUTHN_RP_ID / HJ_WEBAUTHN_ORIGINS. The RP name shown by authenticators is the tenant's name.",
    ),
});

export type TenantSettings = z.infer<typeof tenantSettingsSchema>;

/** The signing algorithm of a tenant's first-party access tokens. */
type AccessTokenAlgSetting = 'EdDSA' | 'RS256' | 'ES256';

/** The tenant's multi-factor policy (docs/mfa.md). */
export type MfaPolicy = 'off' | 'optional' | 'required';

export const TENANT_SETTING_DEFAULTS = {
  signUpEnabled: true,
  enumerationProtection: false,
  requireEmailVerification: false,
  verifyEmailTtlSeconds: 24 * 3600,
  passwordResetTtlSeconds: 30 * 60,
  magicLinkTtlSeconds: 15 * 60,
  emailOtpTtlSeconds: 10 * 60,
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
  accessTokenAlg: 'EdDSA' as AccessTokenAlgSetting,
  mfa: 'optional' as MfaPolicy,
  magicLinkEnabled: true,
  emailOtpEnabled: true,
  federationAutoLink: false,
};

export interface ResolvedTenantSettings {
  signUpEnabled: boolean;
  enumerationProtection: boolean;
  requireEmailVerification: boolean;
  verifyEmailTtlSeconds: number;
  passwordResetTtlSeconds: number;
  magicLinkTtlSeconds: number;
  emailOtpTtlSeconds: number;
  accessTokenTtlSeconds: number;
  /** Signs first-party access tokens; the tenant holds an active key of every algorithm. */
  accessTokenAlg: AccessTokenAlgSetting;
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
  /** Multi-factor sign-in policy. */
  mfa: MfaPolicy;
  /** The tenant's own SMTP URL (with its password, as the control plane serves it), or null. */
  mailSmtpUrl: string | null;
  /** The tenant's own sender, or null (HJ_MAIL_FROM). */
  mailFrom: string | null;
  /** The tenant's template overrides (shape-checked only; docs/mail.md), or null. */
  mailTemplates: MailTemplateOverrides | null;
  /** Passwordless sign-in by mailed link. */
  magicLinkEnabled: boolean;
  /** Passwordless sign-in by mailed code. */
  emailOtpEnabled: boolean;
  /** Link a federated sign-in to the account with the same, upstream-verified, email. */
  federationAutoLink: boolean;
  /** Custom claims of user tokens (a client's own list replaces it for that client). */
  customClaims: readonly CustomClaimRule[];
  /** The tenant's passkey relying-party ID, or null (HJ_WEBAUTHN_RP_ID, else HJ_PUBLIC_URL's host). */
  webauthnRpId: string | null;
  /** The tenant's passkey origins, or null (HJ_WEBAUTHN_ORIGINS, else HJ_PUBLIC_URL's origin). */
  webauthnOrigins: readonly string[] | null;
}

/**
 * Drops what does not parse, field by field, so one unknown or invalid value costs only itself.
 * A newer control plane may store a setting this data plane does not know yet; treating the whole
 * object as invalid would silently reset every other setting (lockout, password policy) to its
 * default.
 */
function parseLeniently(stored: unknown): TenantSettings {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return {};
  const candidate: unknown = structuredClone(stored);
  // Each round removes at least one offending member, so this ends; settings are shallow.
  for (;;) {
    const parsed = tenantSettingsSchema.safeParse(candidate);
    if (parsed.success) return parsed.data;
    let removed = false;
    for (const issue of parsed.error.issues) {
      const paths =
        issue.code === 'unrecognized_keys'
          ? issue.keys.map((key) => [...issue.path, key])
          : [issue.path];
      for (const path of paths) removed = removeAt(candidate, path) || removed;
    }
    if (!removed) return {};
  }
}

function removeAt(root: unknown, path: readonly PropertyKey[]): boolean {
  const last = path[path.length - 1];
  if (last === undefined) return false;
  let node: unknown = root;
  for (const key of path.slice(0, -1)) {
    if (typeof node !== 'object' || node === null) return false;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return typeof node === 'object' && node !== null && Reflect.deleteProperty(node, last);
}

/**
 * Settings with defaults applied. A stored value this version does not know or accept falls back
 * to its default alone, rather than failing requests or resetting the other settings (the control
 * plane validated them on write; it may be newer than this data plane).
 *
 * @example
 * const policy = resolveTenantSettings(tenant.settings, { accessTokenTtlSeconds: 900, bcryptCost: 11 });
 */
export function resolveTenantSettings(
  stored: unknown,
  defaults: { accessTokenTtlSeconds: number; bcryptCost: number },
): ResolvedTenantSettings {
  const s = parseLeniently(stored);
  const d = TENANT_SETTING_DEFAULTS;
  return {
    signUpEnabled: s.sign_up_enabled ?? d.signUpEnabled,
    enumerationProtection: s.enumeration_protection ?? d.enumerationProtection,
    requireEmailVerification: s.require_email_verification ?? d.requireEmailVerification,
    verifyEmailTtlSeconds: s.mail_tokens?.verify_email_ttl ?? d.verifyEmailTtlSeconds,
    passwordResetTtlSeconds: s.mail_tokens?.password_reset_ttl ?? d.passwordResetTtlSeconds,
    magicLinkTtlSeconds: s.mail_tokens?.magic_link_ttl ?? d.magicLinkTtlSeconds,
    emailOtpTtlSeconds: s.mail_tokens?.email_otp_ttl ?? d.emailOtpTtlSeconds,
    accessTokenTtlSeconds: s.access_token_ttl ?? defaults.accessTokenTtlSeconds,
    accessTokenAlg: s.access_token_alg ?? d.accessTokenAlg,
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
    mfa: s.mfa ?? d.mfa,
    mailSmtpUrl: s.mail?.smtp_url ?? null,
    mailFrom: s.mail?.from ?? null,
    mailTemplates: s.mail?.templates ?? null,
    magicLinkEnabled: s.passwordless?.magic_link ?? d.magicLinkEnabled,
    emailOtpEnabled: s.passwordless?.email_otp ?? d.emailOtpEnabled,
    customClaims: s.custom_claims ?? [],
    federationAutoLink: s.federation?.auto_link_verified_email ?? d.federationAutoLink,
    webauthnRpId: s.webauthn?.rp_id ?? null,
    webauthnOrigins: s.webauthn?.origins ?? null,
  };
}
