import { z } from 'zod';

// Same rule as the control plane's slug validation (design §2). Repeated here rather than imported
// because `events` depends on no other lib.
const slug = z.string().regex(/^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])$/, 'invalid tenant slug');

// Data schemas are `z.object` (unknown keys are stripped, not rejected): a consumer on an older
// release must keep accepting events from a newer producer that added an optional field. Breaking
// changes bump the envelope `version` instead.

/**
 * Where the tenant's database lives. The external DSN is deliberately absent: the data plane reads
 * it (encrypted at rest) from the control plane's internal API, so secrets never sit in a queue.
 */
export const tenantDatabaseSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('managed') }),
  z.object({ mode: z.literal('external'), driver: z.enum(['pg', 'mysql']) }),
]);

/** `tenant.created`: a tenant row was written; the data plane provisions its database. */
export const tenantCreatedDataSchema = z.object({
  slug,
  name: z.string().min(1),
  issuer: z.url(),
  database: tenantDatabaseSchema,
  settings: z.record(z.string(), z.unknown()),
});

/** `tenant.updated`: configuration changed; `changes` names the top-level fields touched. */
export const tenantUpdatedDataSchema = z.object({
  slug,
  changes: z.array(z.string().min(1)),
});

/** `tenant.deleted`: the tenant is being removed; the data plane deprovisions it. */
export const tenantDeletedDataSchema = z.object({
  slug,
  drop_database: z.boolean(),
});

/** `tenant.provisioned`: the data plane migrated the database and created the first signing key. */
export const tenantProvisionedDataSchema = z.object({
  slug,
  database_created: z.boolean(),
  signing_key_kid: z.string().min(1),
});

/** `tenant.provisioning_failed`: provisioning gave up (or a message was dead-lettered). */
export const tenantProvisioningFailedDataSchema = z.object({
  slug: slug.optional(),
  reason: z.string(),
  attempts: z.int().nonnegative(),
});

/** `tenant.deprovisioned`: the data plane released (and maybe dropped) the tenant database. */
export const tenantDeprovisionedDataSchema = z.object({
  slug: slug.optional(),
});

/** `tenant.keys.rotation_requested`: an admin asked for a new signing key. */
export const tenantKeysRotationRequestedDataSchema = z.object({
  slug,
  requested_by: z.string().min(1),
});

export type TenantDatabase = z.infer<typeof tenantDatabaseSchema>;
export type TenantCreatedData = z.infer<typeof tenantCreatedDataSchema>;
export type TenantUpdatedData = z.infer<typeof tenantUpdatedDataSchema>;
export type TenantDeletedData = z.infer<typeof tenantDeletedDataSchema>;
export type TenantProvisionedData = z.infer<typeof tenantProvisionedDataSchema>;
export type TenantProvisioningFailedData = z.infer<typeof tenantProvisioningFailedDataSchema>;
export type TenantDeprovisionedData = z.infer<typeof tenantDeprovisionedDataSchema>;
export type TenantKeysRotationRequestedData = z.infer<typeof tenantKeysRotationRequestedDataSchema>;
