import { z } from 'zod';
import { mailTemplatesIssues, tenantSettingsSchema } from '@hellojohn/config';
import { pageOf, pageQuery, safeText } from '@hellojohn/http';

/** Slugs (docs/api.md, tenants): lower-case letters, digits and inner dashes, 3-63 characters. */
const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])$/;

const TenantSlug = z
  .string()
  .regex(SLUG_PATTERN, 'must be 3-63 lower-case letters, digits or inner dashes')
  // A UUID-shaped slug would be ambiguous wherever a tenant is named by id or slug.
  .refine(
    (slug) => !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(slug),
    'must not look like a UUID',
  );

const TenantDatabaseInput = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('managed') }),
  z.strictObject({
    mode: z.literal('external'),
    driver: z.enum(['pg', 'mysql']),
    dsn: z
      .string()
      .max(2048)
      .refine((value) => {
        try {
          const url = new URL(value);
          return (
            ['postgres:', 'postgresql:', 'mysql:'].includes(url.protocol) && url.pathname.length > 1
          );
        } catch {
          return false;
        }
      }, 'must be a postgres:// or mysql:// URL naming a database'),
  }),
]);

/** A tenant's display name: no NUL, no lone surrogate (docs/api.md, "Limits"). */
const TenantName = safeText().trim().min(1).max(200);

const branding = tenantSettingsSchema.shape.branding.unwrap();

/**
 * Settings are validated strictly (no free-form member: deep or unknown values are a 400), the
 * free text in them refuses NUL and lone surrogates, and the password policy's bounds must agree.
 */
const TenantSettings = tenantSettingsSchema
  .extend({
    branding: branding.extend({ display_name: safeText().max(200).optional() }).optional(),
  })
  .refine(
    (settings) =>
      (settings.password_policy?.min_length ?? 12) <= (settings.password_policy?.max_length ?? 256),
    { error: 'min_length must not exceed max_length', path: ['password_policy', 'min_length'] },
  )
  .superRefine((settings, ctx) => {
    // Checked here, not in the shared schema: a data plane keeps reading what it cannot compile
    // and falls back to its built-in template (docs/mail.md, "Templates").
    const templates = settings.mail?.templates;
    if (!templates) return;
    for (const { path, message } of mailTemplatesIssues(templates)) {
      ctx.addIssue({ code: 'custom', path: ['mail', 'templates', ...path], message });
    }
  });

export const CreateTenantBody = z.strictObject({
  slug: TenantSlug,
  name: TenantName,
  database: TenantDatabaseInput.default({ mode: 'managed' }),
  settings: TenantSettings.default({}),
});

export const UpdateTenantBody = z
  .strictObject({
    name: TenantName.optional(),
    settings: TenantSettings.optional().describe('Replaces the settings object as a whole.'),
  })
  .refine((body) => body.name !== undefined || body.settings !== undefined, {
    error: 'give name or settings',
  });

export const TenantParams = z.strictObject({
  tenant: z.string().min(1).max(63).describe('Tenant id or slug.'),
});

export const ListTenantsQuery = pageQuery.extend({
  status: z.enum(['provisioning', 'active', 'failed', 'deleting']).optional(),
});

export const Tenant = z.object({
  id: z.uuid(),
  slug: z.string(),
  name: z.string(),
  status: z.enum(['provisioning', 'active', 'failed', 'deleting']),
  status_reason: z.string().nullable(),
  issuer: z.string(),
  database: z.object({
    mode: z.enum(['managed', 'external']),
    driver: z.string().nullable(),
    dsn: z.string().nullable().describe('External DSN with the password masked.'),
  }),
  settings: z.record(z.string(), z.unknown()),
  created_at: z.string(),
  updated_at: z.string(),
});

export const TenantList = pageOf(Tenant);

export const RotationAccepted = z.object({
  tenant_id: z.string(),
  status: z.literal('rotation_requested'),
});

export type TenantView = z.input<typeof Tenant>;
export type ListTenantsInput = z.output<typeof ListTenantsQuery>;
