import { ADMIN_ROLES } from '@hellojohn/dal';
import { pageOf, safeText } from '@hellojohn/http';
import { z } from 'zod';

/** An operator role: `owner` > `admin` (tenants' content) > `viewer` (reads). */
export const OperatorRole = z
  .enum(ADMIN_ROLES)
  .describe(
    '`owner` manages everything; `admin` manages tenants and their content; `viewer` reads.',
  );

/** A grant's tenants on input: ids or slugs (stored as ids), or `"*"` / omitted for every tenant. */
export const GrantTenantsInput = z
  .union([
    z.literal('*'),
    z
      .array(safeText().min(1).max(64))
      .min(1)
      .max(100)
      .refine((refs) => new Set(refs).size === refs.length, 'lists a tenant twice'),
  ])
  .describe('Tenant ids or slugs the grant covers; `"*"` (the default) for every tenant.');

/** A grant's tenants on output: `"*"` or tenant ids. */
export const GrantTenants = z.union([z.literal('*'), z.array(z.string())]);

export const CreateApiKeyBody = z.strictObject({
  name: safeText().min(1).max(200),
  role: OperatorRole,
  tenants: GrantTenantsInput.optional(),
  expires_at: z.iso
    .datetime({ offset: true })
    .refine((at) => Date.parse(at) > Date.now(), 'must be in the future')
    .optional(),
});

export const RotateApiKeyBody = z.strictObject({
  overlap_seconds: z
    .int()
    .min(0)
    .max(30 * 24 * 3600)
    .default(0)
    .describe('How long the old key keeps working (0: it stops at once; at most 30 days).'),
});

export const ApiKeyParams = z.strictObject({ id: z.uuid() });

export const ApiKey = z.object({
  id: z.string(),
  name: z.string(),
  role: OperatorRole,
  tenants: GrantTenants,
  last4: z.string().describe('The last 4 characters of the current key, to recognise it.'),
  created_at: z.string(),
  created_by: z.string().nullable(),
  expires_at: z.string().nullable(),
  previous_expires_at: z
    .string()
    .nullable()
    .describe('While a rotation overlaps: when the previous key stops working.'),
  last_used_at: z.string().nullable(),
  last_used_ip: z.string().nullable(),
});

/** The create and rotate answers: the only time the key itself is shown. */
export const ApiKeyWithSecret = ApiKey.extend({
  key: z.string().describe('`hjk_` + 256 random bits, base64url. Shown once; store it now.'),
});

export const ApiKeyList = pageOf(ApiKey);

/** The internal check of a key the data plane was shown. */
export const VerifyApiKeyBody = z.strictObject({
  key: z.string().min(1).max(512),
  ip: z.string().max(64).optional(),
});

export const VerifiedApiKey = z.object({
  id: z.string(),
  role: OperatorRole,
  tenants: GrantTenants,
  /** When this secret stops working (its expiry, or a rotation overlap's end); null: never. */
  valid_until: z.string().nullable(),
});
